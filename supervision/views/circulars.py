"""Pages of the circulars (通报): reading, printing and exporting them, drafting, publishing and correcting.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from congress import access
from congress.form_errors import call_with_messages
from supervision import services
from supervision.circulars import headers, line_rows, workbook
from supervision.models import Circular, CircularQuerySet, ReviewRound


def _circulars(request: HttpRequest) -> CircularQuerySet:
    """Drafts stay with the office and the chairman; everyone else in scope reads published circulars."""
    qs = cast(CircularQuerySet, access.scope(request.user, Circular))  # access keeps the model's queryset class
    if not (
        access.can(request.user, "supervision.draft_circular")
        or access.can(request.user, "supervision.publish_circular")
    ):
        qs = qs.published()
    return qs


@access.require_action("supervision.view")
@require_safe
def circular_list(request: HttpRequest) -> HttpResponse:
    circulars = _circulars(request).select_related("round", "town", "corrects")
    return render(request, "supervision/circular_list.html", {"circulars": circulars})


@access.require_action("supervision.view")
@require_safe
def circular_detail(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.get_object_or_404(request.user, _circulars(request).select_related("round"), pk=pk)
    return render(
        request,
        "supervision/circular_detail.html",
        {
            "circular": circular,
            "headers": headers(),
            "rows": line_rows(circular),
            "can_draft": access.can(request.user, "supervision.draft_circular"),
            "can_publish": access.can(request.user, "supervision.publish_circular"),
        },
    )


@access.require_action("supervision.view")
@require_safe
def circular_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The circular as it goes out on paper: A4, black on white, its table header on every page."""
    circular = access.get_object_or_404(request.user, _circulars(request).select_related("round", "town"), pk=pk)
    return render(
        request,
        "supervision/circular_print.html",
        {"circular": circular, "headers": headers(), "rows": line_rows(circular)},
    )


@access.require_action("supervision.view")
@require_safe
def circular_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.get_object_or_404(request.user, _circulars(request), pk=pk)
    response = HttpResponse(
        workbook(circular),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="circular-{circular.pk}-v{circular.version}.xlsx"'
    return response


@access.require_action("supervision.view")
@require_safe
def circular_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The archived PDF of a published circular, to whoever may read the circular."""
    circular = access.get_object_or_404(request.user, _circulars(request).published().exclude(pdf=""), pk=pk)
    response = FileResponse(
        circular.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"circular-{circular.pk}-v{circular.version}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access.require_action("supervision.draft_circular")
@require_POST
def circular_draft(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_object_or_404(request.user, ReviewRound, pk=pk)
    done = call_with_messages(request, lambda: services.draft_circular(round_=round_, by=access.account(request)))
    return redirect(done.value if done else round_)


@access.require_action("supervision.publish_circular")
@require_POST
def circular_publish(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.get_object_or_404(request.user, Circular, pk=pk)
    call_with_messages(request, lambda: services.publish_circular(circular=circular, by=access.account(request)))
    return redirect(circular)


@access.require_action("supervision.draft_circular")
@require_POST
def circular_correct(request: HttpRequest, pk: int) -> HttpResponse:
    circular = access.get_object_or_404(request.user, Circular, pk=pk)
    done = call_with_messages(request, lambda: services.correct_circular(circular=circular, by=access.account(request)))
    return redirect(done.value if done else circular)

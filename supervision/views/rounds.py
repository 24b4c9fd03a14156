"""Pages of the review rounds (调度): the rounds, opening one, a round's reviews, recording a review and
the files kept with it.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access
from congress.form_errors import add_service_errors
from supervision import services
from supervision.forms.rounds import AttachmentForm, OpenRoundForm, ReviewForm
from supervision.models import ProjectReview, ReviewAttachment, ReviewRound


@access.require_action("supervision.view")
@require_safe
def round_list(request: HttpRequest) -> HttpResponse:
    visible = access.scope(request.user, ProjectReview)
    rounds = (
        access.scope(request.user, ReviewRound)
        .select_related("town")
        .annotate(
            green=Count("reviews", filter=Q(reviews__light="green", reviews__in=visible)),
            yellow=Count("reviews", filter=Q(reviews__light="yellow", reviews__in=visible)),
            red=Count("reviews", filter=Q(reviews__light="red", reviews__in=visible)),
        )
    )
    form = OpenRoundForm(initial={"year": timezone.localdate().year, "month": timezone.localdate().month})
    can_open = access.can(request.user, "supervision.review")
    return render(request, "supervision/round_list.html", {"rounds": rounds, "form": form if can_open else None})


@access.require_action("supervision.review")
@require_POST
def round_open(request: HttpRequest) -> HttpResponse:
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.open_round(
                town=access.home_town(request.user), by=access.account(request), **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            return redirect(round_)
    return redirect("supervision:round_list")


@access.require_action("supervision.view")
@require_safe
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_object_or_404(request.user, ReviewRound, pk=pk)
    reviews = access.scope(request.user, round_.reviews.select_related("project", "reviewed_by"))
    return render(
        request,
        "supervision/round_detail.html",
        {
            "round": round_,
            "reviews": reviews,
            "can_review": access.can(request.user, "supervision.review"),
            "can_draft": access.can(request.user, "supervision.draft_circular"),
        },
    )


@access.require_action("supervision.review")
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_object_or_404(request.user, ProjectReview.objects.select_related("round", "project"), pk=pk)
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(review=review, by=access.account(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect(review.round)
    return _review_page(request, review, form=form, attachment_form=AttachmentForm())


def _review_page(
    request: HttpRequest, review: ProjectReview, *, form: ReviewForm, attachment_form: AttachmentForm
) -> HttpResponse:
    """The review with its files: the review form and the upload form, either of them bound."""
    context = {"review": review, "form": form, "attachment_form": attachment_form}
    return render(request, "supervision/review_form.html", {**context, "attachments": review.attachments.all()})


@access.require_action("supervision.review")
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_object_or_404(request.user, ProjectReview.objects.select_related("round", "project"), pk=pk)
    attachment_form = AttachmentForm(request.POST, request.FILES)
    if attachment_form.is_valid():
        try:
            services.attach_to_review(
                review=review, by=access.account(request), upload=attachment_form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(attachment_form, exc)
        else:
            messages.success(request, _("The file was attached."))
            return redirect("supervision:review_edit", pk=review.pk)
    return _review_page(request, review, form=ReviewForm(instance=review), attachment_form=attachment_form)


@access.require_action("supervision.view")
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Private files: only those who may see the review's project get them; images show inline."""
    attachment = access.get_object_or_404(request.user, ReviewAttachment, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.content_type.startswith("image/"),
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

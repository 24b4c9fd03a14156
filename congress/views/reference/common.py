"""What the reference pages share: one list page and one edit page, driven by a `Kind`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congress import access
from congress.concurrency import EditConflict, show_conflict
from congress.forms.reference import TownRecordForm
from congress.services import reference as services_reference

PAGE_SIZE = 50


@dataclass(frozen=True)
class Kind:
    """A kind of reference record: its model, form, pages and what its list needs from the database."""

    model: type[Model]
    form: type[TownRecordForm]
    list_url: str
    list_template: str
    select_related: tuple[str, ...] = ("town",)
    prefetch_related: tuple[str, ...] = field(default_factory=tuple)

    def rows(self, request: HttpRequest) -> QuerySet[Any]:
        qs = self.model._default_manager.select_related(*self.select_related)
        return access.scope(request.user, qs.prefetch_related(*self.prefetch_related))


def paginate(request: HttpRequest, rows: QuerySet[Any]) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def list_page(request: HttpRequest, kind: Kind, **context: Any) -> HttpResponse:
    page = paginate(request, kind.rows(request))
    return render(
        request,
        kind.list_template,
        {
            "page": page,
            "model_meta": kind.model._meta,
            "may_manage": access.can(request.user, "congress.manage_reference"),
            **context,
        },
    )


def edit_page(
    request: HttpRequest, kind: Kind, pk: int | None = None, *, form_kwargs: dict[str, Any] | None = None
) -> HttpResponse:
    """Create (pk None: the record belongs to the user's home town) or change a record in scope."""
    if pk is None:
        record = kind.model(town=access.home_town(request.user))  # type: ignore[misc]  # every reference model has a town
    else:
        record = access.get_object_or_404(request.user, kind.model, pk=pk)
    form = kind.form(
        request.POST if request.method == "POST" else None, instance=record, user=request.user, **(form_kwargs or {})
    )
    if form.is_bound and form.is_valid():
        try:
            services_reference.save_reference(
                by=access.account(request),
                record=form.instance,
                villages=form.cleaned_data.get("villages"),
                version=form.cleaned_data.get("version"),
            )
        except EditConflict as exc:
            show_conflict(form, exc)
        else:
            messages.success(request, _("Saved: %(record)s") % {"record": form.instance})
            return redirect(kind.list_url)
    return render(
        request,
        "congress/reference/form.html",
        {"form": form, "record": record, "model_meta": kind.model._meta, "back_url": kind.list_url},
    )

"""Pages of the deputies' year: activities, first-term training, reception days and their receptions,
the record of duty (履职档案), the annual work checklist (年度工作清单) and the turn of the year."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from congress import access, params
from congress.audit import records_export
from congress.form_errors import call_with_form, form_page
from congress.models import Deputy, Venue
from congress.services import change_term, copy_annual_plan
from duty import forms as f
from duty import records
from duty import services as svc
from duty.models import Activity, ReceptionDuty
from visits.models import OpinionCategory, Visit
from visits.services import OpinionData

# store_upload names its field "file"; these forms call it "photo".
PHOTO_FIELD = {"file": "photo"}


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Activity | str],
    title: str,
    done: str,
) -> HttpResponse:
    """A form page of the deputies' year: a valid POST goes to `save` (a service, given the cleaned data,
    that returns where to go next); what the service refuses shows on the form's fields."""
    return form_page(
        request,
        form,
        "duty/activities/form.html",
        {"title": title},
        save=lambda: save(form.cleaned_data),
        done=done,
        aliases=PHOTO_FIELD,
    )


# --- Activities (履职活动) ------------------------------------------------------------------------


@access.require_action("activities.view")
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    """The activities of a year, newest first; a deputy sees those they took part in."""
    year = params.year(request)
    kind = request.GET.get("kind", "")
    qs = access.scope(access.account(request), Activity.objects.select_related("venue", "town")).filter(
        held_on__year=year
    )
    if kind in Activity.Kind.values:
        qs = qs.filter(kind=kind)
    qs = qs.prefetch_related("participants")
    return render(
        request,
        "duty/activities/list.html",
        {
            "activities": qs.order_by("-held_on", "-pk"),
            "year": year,
            "kind": kind,
            "kinds": Activity.Kind.choices,
            "may_manage": access.can(access.account(request), "activities.manage"),
        },
    )


@access.require_action("activities.manage")
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    """Record an activity of the user's town, with its participants and a photo."""
    town = access.home_town(access.account(request))
    form = f.ActivityForm(request.POST or None, request.FILES or None, town=town)

    def save(data: dict[str, Any]) -> Activity:
        return svc.record_activity(
            by=access.account(request),
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            venue=data["venue"],
            place=data["place"],
            participants=list(data["participants"]),
            notes=data["notes"],
            photos=[data["photo"]] if data.get("photo") else [],
        )

    return _form_page(request, form, save=save, title=_("Record an activity"), done=_("The activity is recorded."))


@access.require_action("activities.view")
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity: when and where, who took part, notes and photos."""
    activity = access.get_object_or_404(access.account(request), Activity.objects.select_related("venue"), pk=pk)
    may_manage = access.can(access.account(request), "activities.manage")
    return render(
        request,
        "duty/activities/detail.html",
        {
            "activity": activity,
            "participants": activity.participants.select_related("constituency"),
            "photos": activity.photos.all(),
            "may_manage": may_manage,
            "photo_form": f.PhotoForm() if may_manage else None,
        },
    )


@access.require_action("activities.manage")
@require_POST
def activity_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach another photo to an activity."""
    activity = access.get_object_or_404(access.account(request), Activity.objects.select_related("town"), pk=pk)
    form = f.PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            svc.add_photo(by=access.account(request), activity=activity, uploaded_file=form.cleaned_data["photo"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The photo is added."))
    else:
        messages.error(request, _("Choose a photo to add."))
    return redirect(activity)


@access.require_action("activities.view")
@require_GET
def training(request: HttpRequest) -> HttpResponse:
    """First-term deputies and the trainings each attended in the year."""
    year = params.year(request)
    rows: list[tuple[Any, int, list[svc.TrainingRow]]] = []
    for town in access.towns(access.account(request)):
        if access.is_deputy(access.account(request)):
            own = access.own_deputy(access.account(request))
            held, town_rows = svc.first_term_training(town=town, year=year)
            town_rows = [r for r in town_rows if own is not None and r.deputy.pk == own.pk]
        else:
            held, town_rows = svc.first_term_training(town=town, year=year)
        rows.append((town, held, town_rows))
    return render(request, "duty/activities/training.html", {"year": year, "towns": rows})


# --- Reception days (接待日) ----------------------------------------------------------------------


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return (year, month) if 2000 <= year <= 2100 else (today.year, today.month)


def _roster(request: HttpRequest) -> dict[str, Any]:
    year, month = _month(request)
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    duties = (
        access.scope(access.account(request), ReceptionDuty.objects.select_related("venue", "town"))
        .filter(on_date__range=(first, last))
        .prefetch_related("deputies")
        .order_by("venue__name", "on_date")
    )
    previous = first - dt.timedelta(days=1)
    following = last + dt.timedelta(days=1)
    return {
        "duties": duties,
        "month": first,
        "previous": f"{previous.year}-{previous.month:02d}",
        "following": f"{following.year}-{following.month:02d}",
        "month_param": f"{year}-{month:02d}",
    }


@access.require_action("activities.view_roster")
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    """The month's reception days at every liaison station and the deputies on duty."""
    context = _roster(request)
    context["may_manage"] = access.can(access.account(request), "activities.manage_roster")
    context["may_receive"] = access.can(access.account(request), "activities.record_reception")
    return render(request, "duty/activities/roster.html", context)


@access.require_action("activities.view_roster")
@require_GET
@records_export("activities.reception_roster")
def roster_print(request: HttpRequest) -> HttpResponse:
    """The month's roster laid out on A4 for posting at the stations."""
    context = _roster(request)
    context["printed_on"] = timezone.localdate()
    return render(request, "duty/activities/print_roster.html", context)


@access.require_action("activities.manage_roster")
@require_http_methods(["GET", "POST"])
def duty_create(request: HttpRequest) -> HttpResponse:
    """Put deputies on duty at a station on a date."""
    town = access.home_town(access.account(request))
    form = f.DutyForm(request.POST or None, town=town)

    def save(data: dict[str, Any]) -> str:
        duty = svc.set_reception_duty(
            by=access.account(request),
            venue=data["venue"],
            on_date=data["on_date"],
            deputies=list(data["deputies"]),
            version=data["version"] or 0,  # 0: the form saw no duty that day
        )
        return f"{_roster_url()}?month={duty.on_date:%Y-%m}"

    return _form_page(
        request, form, save=save, title=_("Add a reception day"), done=_("The reception day is on the roster.")
    )


def _roster_url() -> str:
    return reverse("activities:roster")


@access.require_action("activities.record_reception")
@require_http_methods(["GET", "POST"])
def reception(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a voter received on a reception day; the opinions go to triage like any visit's."""
    user = access.account(request)
    duty = access.get_object_or_404(user, ReceptionDuty.objects.select_related("venue__village", "town"), pk=pk)
    on_duty = duty.deputies.all()
    if access.is_deputy(user):
        own = access.own_deputy(user)
        on_duty = on_duty.filter(pk=own.pk) if own else on_duty.none()
    categories = OpinionCategory.objects.for_town(duty.town).active()
    form = f.ReceptionForm(
        request.POST or None, deputies=on_duty, categories=categories, initial={"idempotency_key": uuid.uuid4()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opinions = []
        if data["opinion_text"].strip():
            opinions.append(OpinionData(category=data["opinion_category"], text=data["opinion_text"]))
        if call_with_form(
            request,
            form,
            lambda: svc.record_reception(
                by=user,
                duty=duty,
                idempotency_key=data["idempotency_key"],
                deputies=list(data["deputies"]),
                voter_name=data["voter_name"],
                notes=data["notes"],
                opinions=opinions,
            ),
            _("The reception is recorded."),
            aliases={**PHOTO_FIELD, "opinions": "opinion_text"},
        ):
            return redirect(request.path)
    received = (
        access.scope(
            user, Visit.objects.filter(method="station", village=duty.venue.village, visited_on=duty.on_date)
        ).prefetch_related("deputies", "opinions")
        if duty.venue.village_id
        else Visit.objects.none()
    )
    return render(request, "duty/activities/reception.html", {"duty": duty, "form": form, "received": received})


# --- The record of duty (履职档案) and the annual checklist (年度工作清单) ------------------------------


@access.require_action("records.view_record")
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    """Every deputy's points and grade for the year; a deputy goes straight to their own record."""
    user = access.account(request)
    year = params.year(request)
    if access.is_deputy(user):
        own = access.own_deputy(user)
        if own is None:
            return render(request, "duty/records/list.html", {"year": year, "rows": []})
        return redirect(f"{own_record_url(own.pk)}?year={year}")
    deputies = access.scope(user, Deputy.objects.serving_in_year(year).select_related("town", "constituency"))
    return render(request, "duty/records/list.html", {"year": year, "rows": records.duty_records(list(deputies), year)})


def own_record_url(pk: int) -> str:
    return reverse("activities:record", args=[pk])


def _record(request: HttpRequest, pk: int) -> records.DutyRecord:
    deputy = access.get_object_or_404(
        access.account(request), Deputy.objects.select_related("town", "constituency"), pk=pk
    )
    return records.duty_records([deputy], params.year(request))[0]


@access.require_action("records.view_record")
@require_GET
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One deputy's record of duty for the year, in the sections of the paper file, with its points."""
    return render(request, "duty/records/detail.html", {"record": _record(request, pk)})


@access.require_action("records.view_record")
@require_GET
@records_export("records.record_of_duty")
def record_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The record of duty laid out on A4."""
    return render(
        request, "duty/records/print.html", {"record": _record(request, pk), "printed_on": timezone.localdate()}
    )


@access.require_action("records.view_checklist")
@require_GET
def checklist(request: HttpRequest) -> HttpResponse:
    """The year's statutory shape for each of the user's towns: each line done, due or overdue."""
    year = params.year(request)
    towns = access.in_chosen_town(request, access.towns(access.account(request)))
    lists = [records.checklist(town=town, year=year) for town in towns]
    return render(request, "duty/records/checklist.html", {"year": year, "lists": lists})


@access.require_action("records.turn_year")
@require_http_methods(["GET", "POST"])
def turn(request: HttpRequest) -> HttpResponse:
    """The turn of the year (copy the plan) and of the term (换届)."""
    user = access.account(request)
    town = access.home_town(user)
    today = timezone.localdate()
    copy_form = f.CopyPlanForm(
        request.POST if request.POST.get("action") == "copy" else None,
        initial={"from_year": today.year, "to_year": today.year + 1},
    )
    term_form = f.ChangeTermForm(request.POST if request.POST.get("action") == "term" else None, town=town)
    if request.method == "POST" and copy_form.is_bound and copy_form.is_valid():
        copied = call_with_form(
            request,
            copy_form,
            lambda: copy_annual_plan(
                town=town, from_year=copy_form.cleaned_data["from_year"], to_year=copy_form.cleaned_data["to_year"]
            ),
            _("The plan is copied."),
        )
        if copied is not None:
            return redirect("activities:turn")
    if request.method == "POST" and term_form.is_bound and term_form.is_valid():
        data = term_form.cleaned_data
        if done := call_with_form(
            request,
            term_form,
            lambda: change_term(
                by=user,
                town=town,
                last_day=data["last_day"],
                new_term=data["new_term"],
                reelected=list(data["reelected"]),
            ),
        ):
            messages.success(request, _("The term is changed: %(n)s deputies left office.") % {"n": done.value})
            return redirect("activities:turn")
    serving = Deputy.objects.filter(town=town).serving_now().count()
    return render(
        request,
        "duty/records/turn.html",
        {
            "copy_form": copy_form,
            "term_form": term_form,
            "serving": serving,
            "town": town,
            "stations": Venue.objects.filter(town=town, kind=Venue.Kind.STATION).count(),
        },
    )

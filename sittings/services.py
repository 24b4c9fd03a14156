"""Congress sessions (人代会): scheduling with the agenda the plan implies, attendance, and whether the
session may be held (三分之二以上的代表出席, 以上 including two thirds exactly)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.forms import BaseModelFormSet
from django.utils.translation import gettext as _

from congress.concurrency import Difference, save_versioned
from congress.models import AnnualPlan, Deputy, DeputyQuerySet, Town, User
from sittings.models import AgendaItem, Attendance, BudgetLine, Session

Kind = AgendaItem.Kind


def default_agenda(session: Session, plan: AnnualPlan) -> list[tuple[AgendaItem.Kind, str]]:
    """The items a session of this kind hears (DOMAIN.md §4): kind and title."""
    if session.kind == Session.Kind.FEBRUARY:
        return [
            (Kind.GOVERNMENT_REPORT, _("Government work report")),
            (Kind.CONGRESS_REPORT, _("Congress work report")),
            (Kind.BUDGET_REPORT, _("Budget and final accounts report")),
            (Kind.LIVELIHOOD_PLAN, _("Plan of livelihood projects for the year")),
        ]
    if session.kind == Session.Kind.JULY:
        return [(Kind.HALF_YEAR_REPORT, _("Half-year economic and social development report"))] + [
            (Kind.DEPUTY_MAYOR_REPORT, _("Deputy mayor's special work report %(n)s") % {"n": n})
            for n in range(1, plan.deputy_mayor_reports + 1)
        ]
    return []


@transaction.atomic
def schedule_session(
    *,
    by: User,
    town: Town,
    year: int,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    title: str = "",
    place: str = "",
) -> Session:
    """Create a session with the agenda items its kind calls for (the July one has the plan's number of
    deputy mayors' reports)."""
    session = Session(town=town, year=year, kind=kind, starts_on=starts_on, ends_on=ends_on, title=title, place=place)
    session.full_clean()
    session.save()
    plan = AnnualPlan.objects.for_town_year(town, year)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(session=session, order=order, kind=item_kind, title=item_title)
            for order, (item_kind, item_title) in enumerate(default_agenda(session, plan), start=1)
        ]
    )
    return session


def deputies_in_office(session: Session) -> DeputyQuerySet:
    """The town's deputies in office on the session's first day: the base of the quorum."""
    return Deputy.objects.filter(town_id=session.town_id).serving_on(session.starts_on)


@dataclass(frozen=True)
class AttendanceRows:
    """The attendance page's choices as one set of the session: written after the session's version
    check, and compared deputy by deputy with what is stored when another save came first."""

    session: Session
    statuses: Mapping[int, str]

    def differences(self) -> list[Difference]:
        stored = dict(Attendance.objects.filter(session=self.session).values_list("deputy_id", "status"))
        changed = {pk for pk, status in self.statuses.items() if stored.get(pk) != status}
        deputies = Deputy.objects.filter(pk__in=changed).order_by("constituency__number", "name")
        return [
            Difference(
                label=_("attendance of %(deputy)s") % {"deputy": deputy.name},
                theirs=_shown_status(stored.get(deputy.pk)),
                yours=_shown_status(self.statuses[deputy.pk]),
            )
            for deputy in deputies
        ]

    def write(self) -> None:
        Attendance.objects.bulk_create(
            [
                Attendance(session=self.session, deputy_id=deputy_id, status=status)
                for deputy_id, status in self.statuses.items()
            ],
            update_conflicts=True,
            unique_fields=["session", "deputy"],
            update_fields=["status"],
        )


def _shown_status(status: str | None) -> str:
    return str(Attendance.Status(status).label) if status else _("(empty)")


@transaction.atomic
def record_attendance(*, by: User, session: Session, statuses: Mapping[int, str], version: int | None = None) -> int:
    """Record 出席 / 请假 / 缺席 for deputies (by id) in office on the session's first day; returns how many.

    `version` is the session's, as the attendance page was drawn: when someone saved the attendance
    since and it differs from these choices, nothing is written and EditConflict names the deputies.
    """
    allowed = set(deputies_in_office(session).values_list("pk", flat=True))
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError(_("Only deputies in office on the session's first day attend it."))
    if any(status not in Attendance.Status.values for status in statuses.values()):
        raise ValidationError(_("Unknown attendance status."))
    locked = Session.objects.select_for_update().get(pk=session.pk)
    save_versioned(locked, version=version, fields=[], related=[AttendanceRows(locked, statuses)])
    session.version = locked.version
    return len(statuses)


# The budget report's figures, edited as one set on the item's page.
BUDGET_FIELDS = ("side", "category", "is_total", "last_year", "this_year", "executed_to_date")


def _budget_key(values: Mapping[str, Any]) -> tuple[str, ...]:
    """A figure as compared and shown: amounts to the cent, so 5200 typed equals 5200.00 stored."""

    def amount(value: Any) -> str:
        return "" if value is None else f"{Decimal(value):.2f}"

    return (
        str(values["side"]),
        str(values["category"]).strip(),
        "1" if values["is_total"] else "",
        amount(values["last_year"]),
        amount(values["this_year"]),
        amount(values["executed_to_date"]),
    )


def _shown_figure(key: tuple[str, ...]) -> str:
    side, category, _total, last, this, executed = key
    parts = {"side": BudgetLine.Side(side).label, "category": category, "last": last, "this": this}
    if executed:
        return _("%(side)s %(category)s (last year %(last)s, this year %(this)s, executed %(executed)s)") % {
            **parts,
            "executed": executed,
        }
    return _("%(side)s %(category)s (last year %(last)s, this year %(this)s)") % parts


@dataclass(frozen=True)
class BudgetRows:
    """The figures of a budget report's formset as one set of its item: written after the item's
    version check, and compared with the stored figures when another save came first."""

    item: AgendaItem
    formset: BaseModelFormSet[BudgetLine, Any]

    def yours(self) -> list[tuple[str, ...]]:
        kept = []
        for form in self.formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not (form.instance.pk or form.has_changed()):
                continue
            kept.append(_budget_key(data))
        return sorted(kept)

    def differences(self) -> list[Difference]:
        stored = sorted(_budget_key(vars(line)) for line in BudgetLine.objects.filter(item=self.item))
        yours = self.yours()
        if stored == yours:
            return []
        return [
            Difference(
                label=str(BudgetLine._meta.verbose_name_plural),
                theirs="、".join(_shown_figure(k) for k in stored) or _("(empty)"),
                yours="、".join(_shown_figure(k) for k in yours) or _("(empty)"),
            )
        ]

    def write(self) -> None:
        self.formset.save()


@transaction.atomic
def save_agenda_item(
    *, item: AgendaItem, fields: Sequence[str], version: int | None, figures: BudgetRows | None = None
) -> AgendaItem:
    """Save an agenda item's typed `fields` (set on `item` and checked by its form already) and its
    budget figures as one edit.

    `version` is the item's, as its page was drawn: when someone saved the item since and it differs
    from this edit, nothing is written and EditConflict says what the other saved.
    """
    save_versioned(item, version=version, fields=fields, related=[] if figures is None else [figures])
    return item


@dataclass(frozen=True)
class Quorum:
    """Whether a session may be held: present ≥ the plan's fraction of the deputies in office."""

    in_office: int
    present: int
    on_leave: int
    absent: int
    required: int

    @property
    def valid(self) -> bool:
        return self.in_office > 0 and self.present >= self.required


def quorum(session: Session) -> Quorum:
    """Count the session's attendance against the deputies in office (two queries)."""
    plan = AnnualPlan.objects.for_town_year(session.town_id, session.year)
    in_office = deputies_in_office(session)
    counts = Attendance.objects.filter(session=session, deputy__in=in_office).aggregate(
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        leave=Count("pk", filter=Q(status=Attendance.Status.LEAVE)),
        absent=Count("pk", filter=Q(status=Attendance.Status.ABSENT)),
    )
    n = in_office.count()
    return Quorum(
        in_office=n,
        present=counts["present"],
        on_leave=counts["leave"],
        absent=counts["absent"],
        required=plan.quorum(n),
    )

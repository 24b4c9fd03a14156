"""Congress sessions (人代会): scheduling with the agenda the plan implies, attendance, and whether the
session may be held (三分之二以上的代表出席, 以上 including two thirds exactly)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from congress.models import AnnualPlan, Deputy, DeputyQuerySet, Town, User
from sittings.models import AgendaItem, Attendance, Session

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


@transaction.atomic
def record_attendance(*, by: User, session: Session, statuses: Mapping[int, str]) -> int:
    """Record 出席 / 请假 / 缺席 for deputies (by id) in office on the session's first day; returns how many."""
    allowed = set(deputies_in_office(session).values_list("pk", flat=True))
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError(_("Only deputies in office on the session's first day attend it."))
    if any(status not in Attendance.Status.values for status in statuses.values()):
        raise ValidationError(_("Unknown attendance status."))
    Session.objects.select_for_update().filter(pk=session.pk).first()
    Attendance.objects.bulk_create(
        [Attendance(session=session, deputy_id=deputy_id, status=status) for deputy_id, status in statuses.items()],
        update_conflicts=True,
        unique_fields=["session", "deputy"],
        update_fields=["status"],
    )
    return len(statuses)


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

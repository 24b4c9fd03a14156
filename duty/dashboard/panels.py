"""The home page's panels: a deputy's own year and the office's work of the day, each figure with the
list that explains it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress import access
from congress.models import AnnualPlan, Delivery, Deputy, Notification, Town, User
from duty.dashboard.base import link, month_range, scoped
from suggestions.models import Suggestion
from supervision.models import LivelihoodProject, MonthlyTarget, Rectification, ReviewRound
from visits.models import Opinion, Pairing
from visits.quota import MonthState, quota

State = Suggestion.State


@dataclass(frozen=True)
class Figure:
    """One number of a home panel with the list that explains it."""

    label: str
    value: int | str
    url: str
    alert: bool = False


def deputy_panel(user: User, deputy: Deputy, *, today: dt.date) -> dict[str, Any]:
    """A deputy's home: the quota (month, year), paired households due, supervised projects, suggestions
    and answers to rate, unread notifications."""
    result = quota([deputy], today.year, today=today)[deputy.pk]
    month = result.month(today.month)
    month_first, month_last = month_range(today.year, today.month)
    due_pairs = Pairing.objects.filter(deputy=deputy).overdue_on(today).count()
    mine = scoped(user, Suggestion.objects.all()).filter(proposers=deputy).distinct()
    by_state = dict(mine.submitted().order_by().values_list("state").annotate(n=Count("pk", distinct=True)))
    to_rate = mine.filter(state=State.ANSWERED).count()
    unread = Notification.objects.filter(recipient=user).unread().count()
    projects = list(
        scoped(user, LivelihoodProject.objects.all())
        .filter(supervisors=deputy, year=today.year)
        .adopted()
        .with_current_review()
        .order_by("position", "pk")
        .only("pk", "name", "position", "status")
    )
    figures = [
        Figure(
            _("My visits this month"),
            f"{month.visits} / {month.required}",
            link("visits:ledger", deputy=deputy.pk, date_from=month_first.isoformat(), date_to=month_last.isoformat()),
            alert=month.served and month.state != MonthState.MET,
        ),
        Figure(
            _("My households this year"),
            f"{result.households} / {result.household_target}",
            reverse("visits:my_duty"),
            alert=result.households < result.expected_so_far,
        ),
        Figure(_("Paired households due a visit"), due_pairs, link("visits:pair_list", overdue=1), alert=due_pairs > 0),
        Figure(
            _("Answers awaiting my rating"),
            to_rate,
            link("suggestions:list", tab="all", state=State.ANSWERED),
            alert=to_rate > 0,
        ),
        Figure(_("My unread notifications"), unread, reverse("congress:inbox"), alert=unread > 0),
    ]
    states = [
        Figure(str(label), by_state[value], link("suggestions:list", tab="all", state=value))
        for value, label in State.choices
        if by_state.get(value)
    ]
    return {"figures": figures, "suggestion_states": states, "projects": projects}


def staff_panel(user: User, town: Town, *, today: dt.date) -> list[Figure]:
    """The office's work of the day: rounds and targets due, overdue items, opinions to triage,
    unsatisfactory suggestions, rectifications awaiting a look-back and messages whose arrival is unknown."""
    targets = scoped(user, MonthlyTarget.objects.all()).filter(project__town=town)
    due_this_month = targets.filter(
        project__status=LivelihoodProject.Status.IN_PROGRESS, month=today.replace(day=1), completed_on__isnull=True
    ).count()
    overdue = targets.overdue_on(today).count()
    new_opinions = access.scope(user, Opinion).filter(visit__town=town, status=Opinion.Status.NEW).count()
    suggestions = access.scope(user, Suggestion).filter(town=town)
    counts = suggestions.aggregate(
        to_accept=Count("pk", filter=Q(state=State.SUBMITTED)),
        overdue=Count("pk", filter=Q(state__in=Suggestion.AWAITING_ANSWER, due_on__lt=today)),
        unsatisfied=Count("pk", filter=Q(state=State.REDO)),
    )
    plan = AnnualPlan.objects.for_town_year(town, today.year)
    opened = set(access.scope(user, ReviewRound).filter(town=town, year=today.year).values_list("month", flat=True))
    rounds_due = sum(1 for m in plan.review_months or [] if m <= today.month and m not in opened)
    look_backs = scoped(user, Rectification.objects.all()).filter(town=town).open().count()
    unconfirmed = (
        access.scope(user, Delivery).filter(notification__recipient__town=town, state=Delivery.State.UNKNOWN).count()
    )
    return [
        Figure(
            _("Review rounds due and not opened"),
            rounds_due,
            reverse("supervision:round_list"),
            alert=rounds_due > 0,
        ),
        Figure(_("Monthly targets due this month"), due_this_month, link("supervision:project_list", year=today.year)),
        Figure(
            _("Overdue monthly targets"),
            overdue,
            link("supervision:project_list", year=today.year, overdue_targets=1),
            alert=overdue > 0,
        ),
        Figure(
            _("Opinions to triage"),
            new_opinions,
            link("visits:opinion_triage", status=Opinion.Status.NEW),
            alert=new_opinions > 0,
        ),
        Figure(
            _("Suggestions to accept"), counts["to_accept"], link("suggestions:list", tab="all", state=State.SUBMITTED)
        ),
        Figure(
            _("Overdue suggestions"),
            counts["overdue"],
            link("suggestions:list", tab="overdue"),
            alert=counts["overdue"] > 0,
        ),
        Figure(
            _("Unsatisfied, handled again"),
            counts["unsatisfied"],
            link("suggestions:list", tab="all", state=State.REDO),
            alert=counts["unsatisfied"] > 0,
        ),
        Figure(
            _("Rectifications awaiting a look-back"),
            look_backs,
            reverse("supervision:rectification_list"),
            alert=look_backs > 0,
        ),
        Figure(
            _("Unconfirmed deliveries"),
            unconfirmed,
            reverse("congress:deliveries_unconfirmed"),
            alert=unconfirmed > 0,
        ),
    ]

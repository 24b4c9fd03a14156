"""Deadline reminders of supervision (督办提醒): monthly project targets, review rounds, rectification
items, and the chairman's weekly digest. The daily sweep reads them; each also runs alone as a task for a day."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from congress import reminders
from congress.dates import first_working_day
from congress.models import AnnualPlan, Deputy, Role
from congress.reminders import Reminder, department_users, town_users
from congress.tasks import day_of
from suggestions.models import Suggestion
from supervision.models import Light, LivelihoodProject, MonthlyTarget, ProjectReview, Rectification, ReviewRound
from visits.quota import Pace, quota

TARGET_DUE_SOON_DAYS = 7
RECTIFICATION_DUE_SOON_DAYS = 7
DIGEST_WEEKDAY = 0  # Monday


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def target_reminders(day: dt.date) -> list[Reminder]:
    """Unmet monthly targets of projects under way: due within 7 days (once) and overdue (once a month),
    to the lead department and the town's staff."""
    found: list[Reminder] = []
    open_statuses = [LivelihoodProject.Status.ADOPTED, LivelihoodProject.Status.IN_PROGRESS]
    targets = (
        MonthlyTarget.objects.filter(
            completed_on__isnull=True,
            project__status__in=open_statuses,
            month__lte=day + dt.timedelta(days=TARGET_DUE_SOON_DAYS),
        )
        .select_related("project")
        .order_by("month", "pk")
    )
    for target in targets:
        project = target.project
        due = _month_end(target.month)
        if due < day:
            kind, period = "supervision.target_overdue", f"{day:%Y-%m}"
            title = _("Monthly target overdue: %(project)s") % {"project": project.name}
            text = _("The target for %(month)s (%(percent)s%%) was due on %(due)s and is not met.")
        elif (due - day).days <= TARGET_DUE_SOON_DAYS:
            kind, period = "supervision.target_due", f"{target.month:%Y-%m}"
            title = _("Monthly target due: %(project)s") % {"project": project.name}
            text = _("The target for %(month)s (%(percent)s%%) is due on %(due)s.")
        else:
            continue
        body = text % {"month": f"{target.month:%Y-%m}", "percent": target.planned_percent, "due": due.isoformat()}
        if target.target:
            body += "\n" + target.target
        recipients = town_users(project.town_id, Role.STAFF)
        if project.lead_department_id:
            recipients = department_users(project.lead_department_id) + recipients
        url = reverse("supervision:project_detail", args=[project.pk])
        for user in recipients:
            found.append(
                Reminder(user, kind, f"target:{target.pk}", period, title, body, url, f"due {due.isoformat()}")
            )
    return found


def review_round_reminders(day: dt.date) -> list[Reminder]:
    """On the first working day of a review month without its round yet, staff and departments."""
    if day != first_working_day(day.year, day.month):
        return []
    found: list[Reminder] = []
    for plan in AnnualPlan.objects.filter(year=day.year).order_by("town_id"):
        if day.month not in plan.review_months:
            continue
        if ReviewRound.objects.filter(town_id=plan.town_id, year=day.year, month=day.month).exists():
            continue
        departments = set(
            LivelihoodProject.objects.filter(town_id=plan.town_id, status=LivelihoodProject.Status.IN_PROGRESS)
            .exclude(lead_department__isnull=True)
            .values_list("lead_department_id", flat=True)
        )
        recipients = town_users(plan.town_id, Role.STAFF)
        for department_id in sorted(departments):
            recipients += department_users(department_id)
        title = _("Project review due in %(month)s") % {"month": f"{day:%Y-%m}"}
        body = _("This month's review of the livelihood projects (调度) is due: report each project's progress.")
        for user in recipients:
            found.append(
                Reminder(
                    user,
                    "supervision.review_due",
                    f"town:{plan.town_id}",
                    f"{day:%Y-%m}",
                    title,
                    body,
                    reverse("supervision:round_list"),
                    f"review month {day.month}",
                )
            )
    return found


def rectification_reminders(day: dt.date) -> list[Reminder]:
    """Open rectification items (整改事项) due within 7 days (once per due date: a look-back that sets a new
    one reminds again) and overdue (once a month), to the responsible department and the town's staff.
    Only a look-back closes an item, so the department's answer alone does not stop the reminders."""
    found: list[Reminder] = []
    items = Rectification.objects.open().filter(due_on__lte=day + dt.timedelta(days=RECTIFICATION_DUE_SOON_DAYS))
    for item in items.order_by("due_on", "pk"):
        values = {"item": str(item), "due": item.due_on.isoformat()}
        if item.due_on < day:
            kind, period = "supervision.rectification_overdue", f"{day:%Y-%m}"
            title = _("Rectification overdue: %(item)s") % values
            body = _("The item was due on %(due)s and is %(days)s days late; only a look-back closes it.") % {
                **values,
                "days": (day - item.due_on).days,
            }
        else:
            kind, period = "supervision.rectification_due", item.due_on.isoformat()
            title = _("Rectification due: %(item)s") % values
            body = _("The item is due on %(due)s, in %(days)s days.") % {**values, "days": (item.due_on - day).days}
        if item.description != str(item):  # the title holds only the first words
            body += "\n" + item.description
        if item.owner_name:
            body += "\n" + _("Responsible: %(name)s") % {"name": item.owner_name}
        recipients = town_users(item.town_id, Role.STAFF)
        if item.owner_department_id:
            recipients = department_users(item.owner_department_id) + recipients
        for user in recipients:
            found.append(
                Reminder(
                    user,
                    kind,
                    f"rectification:{item.pk}",
                    period,
                    title,
                    body,
                    item.get_absolute_url(),
                    f"due {item.due_on.isoformat()}",
                )
            )
    return found


def deadline_reminders(day: dt.date) -> list[Reminder]:
    return target_reminders(day) + review_round_reminders(day) + rectification_reminders(day)


def chairman_digest(day: dt.date) -> list[Reminder]:
    """On Mondays, each town's chairman: overdue 督办 suggestions, red projects, deputies behind pace."""
    if day.weekday() != DIGEST_WEEKDAY:
        return []
    found: list[Reminder] = []
    week = f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"
    # Each list read once for every town (the sweep's queries must not grow with the towns and deputies).
    overdue_by_town: dict[int, list[Suggestion]] = defaultdict(list)
    for s in (
        Suggestion.objects.supervised_open()
        .filter(state__in=Suggestion.AWAITING_ANSWER, due_on__lt=day)
        .order_by("due_on", "pk")
    ):
        overdue_by_town[s.town_id].append(s)
    latest_light = Subquery(
        ProjectReview.objects.filter(project=OuterRef("pk"), light__gt="")
        .order_by("-round__year", "-round__month")
        .values("light")[:1]
    )
    red_by_town: dict[int, list[LivelihoodProject]] = defaultdict(list)
    for p in (
        LivelihoodProject.objects.filter(status=LivelihoodProject.Status.IN_PROGRESS)
        .annotate(latest_light=latest_light)
        .filter(latest_light=Light.RED)
        .order_by("position", "pk")
    ):
        red_by_town[p.town_id].append(p)
    serving = list(Deputy.objects.serving_on(day).order_by("constituency__number", "name"))
    figures = quota(serving, day.year, today=day)
    behind_by_town: dict[int, list[Deputy]] = defaultdict(list)
    for d in serving:
        if figures[d.pk].pace == Pace.BEHIND:
            behind_by_town[d.town_id].append(d)
    for town in reminders.towns():
        chairmen = town_users(town.pk, Role.CHAIRMAN)
        if not chairmen:
            continue
        overdue, red, behind = overdue_by_town[town.pk], red_by_town[town.pk], behind_by_town[town.pk]
        lines = [
            _("Overdue supervised suggestions: %(count)s") % {"count": len(overdue)},
            *[f"  · {s.reference} {s.title}（{s.due_on}）" for s in overdue],
            _("Projects with a red light: %(count)s") % {"count": len(red)},
            *[f"  · {p.name}" for p in red],
            _("Deputies behind the visit pace: %(count)s") % {"count": len(behind)},
            *[f"  · {d.name}" for d in behind],
        ]
        for user in chairmen:
            found.append(
                Reminder(
                    user,
                    "digest.weekly",
                    f"town:{town.pk}",
                    week,
                    _("Weekly digest, week of %(day)s") % {"day": day.isoformat()},
                    "\n".join(str(line) for line in lines),
                    reverse("home"),
                    f"Monday {week}",
                )
            )
    return found


@shared_task
def target_check(day: str | None = None) -> int:
    """Monthly-target, review-round and rectification reminders for `day`; returns new notifications."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.send(deadline_reminders(day_of(day)))


@shared_task
def weekly_digest(day: str | None = None) -> int:
    """The chairman's digest for `day` (a Monday; other days send nothing); returns new notifications."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.send(chairman_digest(day_of(day)))

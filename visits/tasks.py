"""Visit-quota reminders (走访提醒): the monthly visit check and the pace check, read by the daily sweep.

Both ask `visits.quota.quota`, the one quota function, for the day they work for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.db.models import Count, F, Window
from django.db.models.functions import Collate, RowNumber
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from congress import reminders
from congress.dates import first_working_day, monthly_visit_check_day
from congress.models import Deputy
from congress.reminders import Reminder
from congress.tasks import day_of
from visits.models import PINYIN_COLLATION, Household
from visits.quota import MonthQuota, Pace, quota
from visits.retention import erase_expired

UNVISITED_LISTED = 10
PINYIN_ORDER = [Collate("head_name", PINYIN_COLLATION).asc(), F("address").asc(), F("pk").asc()]


def _serving_deputies(day: dt.date) -> list[Deputy]:
    return list(
        Deputy.objects.serving_on(day)
        .filter(user__is_active=True)
        .select_related("user", "constituency")
        .order_by("town_id", "pk")
    )


def unvisited_households(constituency_ids: Iterable[int | None], year: int) -> dict[int, tuple[int, list[str]]]:
    """For each constituency: how many of its resident households nobody visited this year, and the
    first few of them (head of household, address). One query however many constituencies are asked."""
    ids = sorted({pk for pk in constituency_ids if pk is not None})
    if not ids:
        return {}
    constituency = F("village__constituencies")
    rows = (
        Household.objects.resident()
        .filter(village__constituencies__in=ids)
        .exclude(pk__in=Household.objects.visited_in_year(year).values("pk"))
        .annotate(
            constituency_id=constituency,
            rank=Window(RowNumber(), partition_by=[constituency], order_by=PINYIN_ORDER),
            unvisited=Window(Count("pk"), partition_by=[constituency]),
        )
        .filter(rank__lte=UNVISITED_LISTED)
        .order_by("constituency_id", "rank")
        .values_list("constituency_id", "unvisited", "head_name", "address")
    )
    found: dict[int, tuple[int, list[str]]] = {}
    for constituency_id, unvisited, head_name, address in rows:
        found.setdefault(constituency_id, (unvisited, []))[1].append(f"{head_name}（{address}）")
    return found


def monthly_visit_reminders(day: dt.date) -> list[Reminder]:
    """On the check day (the 20th or the next working day), each deputy under the month's target."""
    if day != monthly_visit_check_day(day.year, day.month):
        return []
    deputies = _serving_deputies(day)
    figures = quota(deputies, day.year, today=day)
    behind = [d for d in deputies if _missing(figures[d.pk].month(day.month)) > 0]
    unvisited = unvisited_households((d.constituency_id for d in behind), day.year)
    found = []
    for deputy in behind:
        month = figures[deputy.pk].month(day.month)
        missing = _missing(month)
        count, listed = unvisited.get(deputy.constituency_id or 0, (0, []))
        body = _("This month you have %(visits)s of %(required)s visits: %(missing)s still to go.") % {
            "visits": month.visits,
            "required": month.required,
            "missing": missing,
        }
        if count:
            body += "\n" + _("%(count)s households of your constituency are not yet visited this year: %(list)s") % {
                "count": count,
                "list": "、".join(listed) + ("……" if count > len(listed) else ""),
            }
        assert deputy.user is not None
        found.append(
            Reminder(
                deputy.user,
                "visits.monthly",
                f"deputy:{deputy.pk}",
                f"{day:%Y-%m}",
                _("%(missing)s visits missing this month") % {"missing": missing},
                body,
                reverse("visits:my_duty"),
                f"{month.visits}/{month.required} visits in {day:%Y-%m}",
            )
        )
    return found


def _missing(month: MonthQuota) -> int:
    return month.required - month.visits if month.served else 0


def pace_reminders(day: dt.date) -> list[Reminder]:
    """On the first working day of a month, each deputy behind the pace of the yearly household target."""
    if day != first_working_day(day.year, day.month):
        return []
    deputies = _serving_deputies(day)
    figures = quota(deputies, day.year, today=day)
    found = []
    for deputy in deputies:
        figure = figures[deputy.pk]
        if figure.pace != Pace.BEHIND:
            continue
        assert deputy.user is not None
        found.append(
            Reminder(
                deputy.user,
                "visits.pace",
                f"deputy:{deputy.pk}",
                f"{day:%Y-%m}",
                _("Household visits behind pace"),
                _(
                    "You have visited %(households)s households this year; %(expected)s were expected by now "
                    "towards the year's %(target)s."
                )
                % {
                    "households": figure.households,
                    "expected": figure.expected_so_far,
                    "target": figure.household_target,
                },
                reverse("visits:my_duty"),
                f"{figure.households}/{figure.expected_so_far} households expected by {day.isoformat()}",
            )
        )
    return found


def visit_reminders(day: dt.date) -> list[Reminder]:
    return monthly_visit_reminders(day) + pace_reminders(day)


@shared_task
def monthly_visit_check(day: str | None = None) -> int:
    """The monthly visit check for `day` (the sweep runs it on its day); returns new notifications."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.send(monthly_visit_reminders(day_of(day)))


@shared_task
def pace_check(day: str | None = None) -> int:
    """The pace check against the yearly household target for `day`; returns new notifications."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.send(pace_reminders(day_of(day)))


@shared_task
def erase_expired_households(day: str | None = None) -> int:
    """Monthly: erase the personal data of households past their town's retention; households erased."""
    return sum(len(erasure.households) for erasure in erase_expired(day_of(day)))

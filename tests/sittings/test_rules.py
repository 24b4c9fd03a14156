"""Sessions: the agenda each kind implies, attendance and the two-thirds quorum."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sittings import services as svc
from sittings.models import AgendaItem, Attendance, Session
from tests import factories
from tests.sittings.factories import attend, deputies, session

Kind = AgendaItem.Kind


def test_the_february_session_hears_the_four_reports(cast):
    s = session(cast.town, cast.staff, kind="february")
    assert list(s.items.values_list("kind", flat=True)) == [
        Kind.GOVERNMENT_REPORT,
        Kind.CONGRESS_REPORT,
        Kind.BUDGET_REPORT,
        Kind.LIVELIHOOD_PLAN,
    ]


def test_the_july_session_hears_the_plans_number_of_deputy_mayors(cast):
    factories.AnnualPlanFactory(town=cast.town, year=2026, deputy_mayor_reports=3)
    s = session(cast.town, cast.staff, kind="july")
    kinds = list(s.items.values_list("kind", flat=True))
    assert kinds == [Kind.HALF_YEAR_REPORT] + [Kind.DEPUTY_MAYOR_REPORT] * 3


def test_a_town_has_one_february_session_a_year_but_any_number_of_extra_ones(cast):
    session(cast.town, cast.staff, kind="february")
    session(cast.town, cast.staff, kind="extra")
    session(cast.town, cast.staff, kind="extra", day=20)
    with pytest.raises(ValidationError):
        session(cast.town, cast.staff, kind="february", day=20)
    assert Session.objects.count() == 3


@pytest.mark.parametrize(
    ("in_office", "present", "valid"),
    [
        (6, 4, True),  # exactly two thirds: 以上 includes the number itself
        (6, 3, False),
        (9, 6, True),
        (9, 5, False),
        (7, 5, True),  # 15 ≥ 14
        (7, 4, False),
        (60, 40, True),
        (60, 39, False),
    ],
)
def test_the_session_is_valid_when_three_times_present_is_at_least_twice_in_office(cast, in_office, present, valid):
    s = session(cast.town, cast.staff)
    # The cast's two deputies are in office too.
    others = deputies(cast.town, in_office - 2)
    everyone = [cast.deputy, cast.other_deputy, *others]
    attend(s, cast.staff, present=everyone[:present], leave=everyone[present:])
    q = svc.quorum(s)
    assert (q.in_office, q.present, q.valid) == (in_office, present, valid)
    assert q.valid == (3 * present >= 2 * in_office)


def test_deputies_out_of_office_on_the_first_day_are_not_counted(cast):
    s = session(cast.town, cast.staff)
    deputies(cast.town, 2, served_until=dt.date(2026, 1, 31))
    deputies(cast.town, 2, served_from=dt.date(2026, 3, 1))
    attend(s, cast.staff, present=[cast.deputy, cast.other_deputy])
    assert svc.quorum(s).in_office == 2


def test_attendance_of_a_deputy_not_in_office_is_refused(cast):
    s = session(cast.town, cast.staff)
    (gone,) = deputies(cast.town, 1, served_until=dt.date(2025, 12, 31))
    with pytest.raises(ValidationError):
        svc.record_attendance(by=cast.staff, session=s, statuses={gone.pk: "present"})
    assert not Attendance.objects.exists()


def test_attendance_is_corrected_in_place(cast):
    s = session(cast.town, cast.staff)
    attend(s, cast.staff, present=[cast.deputy])
    attend(s, cast.staff, present=[], leave=[cast.deputy])
    assert Attendance.objects.get().status == Attendance.Status.LEAVE


def test_the_plan_sets_the_quorum_fraction(cast):
    factories.AnnualPlanFactory(town=cast.town, year=2026, quorum_numerator=3, quorum_denominator=4)
    s = session(cast.town, cast.staff)
    others = deputies(cast.town, 2)
    attend(s, cast.staff, present=[cast.deputy, cast.other_deputy], leave=others)
    assert (svc.quorum(s).required, svc.quorum(s).valid) == (3, False)


def test_a_session_without_deputies_is_not_valid(db):
    town = factories.TownFactory()
    staff = factories.UserFactory(town=town)
    assert not svc.quorum(session(town, staff)).valid

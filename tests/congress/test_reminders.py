"""The daily sweep: what is due on a day, the Monday digest, exactly once under concurrent sweeps,
the schedule in django-celery-beat's tables, and send_reminders."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from congress.dates import first_working_day
from congress.models import Delivery, Notification
from congress.reminders import collect, run_sweep
from congress.roles import Role
from congress.tasks import daily_sweep
from sittings.tasks import session_reminders
from suggestions.models import Suggestion
from suggestions.services import flag_for_supervision
from suggestions.tasks import suggestion_reminders
from supervision.models import LivelihoodProject
from supervision.services import open_round
from supervision.tasks import chairman_digest, review_round_reminders, target_reminders
from tests import factories
from tests.conftest import build_cast
from tests.factories import AnnualPlanFactory
from tests.sittings.factories import session
from tests.suggestions.factories import suggestion_in_state
from tests.supervision.factories import LivelihoodProjectFactory, MonthlyTargetFactory, ProjectReviewFactory

DUE = dt.date(2026, 6, 2)  # three months after the default assignment on 2 March


def kinds_for(reminders, user):
    return sorted((r.kind, r.period) for r in reminders if r.recipient == user)


@pytest.fixture
def assigned(cast):
    s = suggestion_in_state(
        Suggestion.State.ASSIGNED, proposer=cast.deputy, staff=cast.staff, department=cast.department
    )
    assert s.due_on == DUE
    return s


def test_an_answer_due_in_14_days_reminds_the_department_and_staff(cast, assigned):
    found = suggestion_reminders(DUE - dt.timedelta(days=14))

    assert kinds_for(found, cast.department_user) == [("suggestions.answer_due", "2026-06-02")]
    assert kinds_for(found, cast.staff) == [("suggestions.answer_due", "2026-06-02")]
    assert kinds_for(found, cast.deputy_user) == []


def test_an_answer_due_in_15_days_is_not_yet_reminded(cast, assigned):
    assert suggestion_reminders(DUE - dt.timedelta(days=15)) == []


def test_an_overdue_answer_is_reminded_once_a_month(cast, assigned):
    found = suggestion_reminders(DUE + dt.timedelta(days=1))

    assert kinds_for(found, cast.department_user) == [("suggestions.answer_overdue", "2026-06")]


def test_an_answer_awaiting_its_rating_reminds_the_proposer(cast):
    suggestion_in_state(Suggestion.State.ANSWERED, proposer=cast.deputy, staff=cast.staff, department=cast.department)

    found = suggestion_reminders(dt.date(2026, 4, 2))

    assert [r.kind for r in found if r.recipient == cast.deputy_user] == ["suggestions.rating"]


def test_deputies_hear_of_a_session_three_days_before(cast):
    s = session(cast.town, cast.staff, kind="july", day=15)

    assert session_reminders(dt.date(2026, 7, 11)) == []
    found = session_reminders(dt.date(2026, 7, 12))

    assert {r.recipient for r in found} == {cast.deputy_user, cast.other_deputy_user}
    assert {r.subject for r in found} == {f"session:{s.pk}"}


def test_a_monthly_target_due_in_7_days_and_then_overdue(cast):
    project = LivelihoodProjectFactory(town=cast.town, lead_department=cast.department)
    MonthlyTargetFactory(project=project, month=dt.date(2026, 5, 1))

    assert target_reminders(dt.date(2026, 5, 23)) == []
    assert kinds_for(target_reminders(dt.date(2026, 5, 24)), cast.department_user) == [
        ("supervision.target_due", "2026-05")
    ]
    assert kinds_for(target_reminders(dt.date(2026, 6, 1)), cast.staff) == [("supervision.target_overdue", "2026-06")]


def test_a_met_target_is_not_reminded(cast):
    project = LivelihoodProjectFactory(town=cast.town, lead_department=cast.department)
    MonthlyTargetFactory(project=project, month=dt.date(2026, 5, 1), completed_on=dt.date(2026, 5, 20))

    assert target_reminders(dt.date(2026, 6, 1)) == []


def test_the_chairman_digest_goes_out_on_mondays_with_red_projects_and_deputies_behind(cast):
    project = LivelihoodProjectFactory(town=cast.town, name="北房村道路大修")
    ProjectReviewFactory(
        project=project,
        round__town=cast.town,
        actual_percent=5,
        light="red",
        light_reason="far_behind",
        reviewed_at=timezone.now(),
    )
    monday = dt.date(2026, 11, 23)

    assert chairman_digest(monday - dt.timedelta(days=1)) == []
    (digest,) = chairman_digest(monday)

    assert digest.recipient == cast.chairman
    assert digest.period == "2026-W48"
    assert "北房村道路大修" in digest.body
    assert cast.deputy.name in digest.body


def test_a_sweep_run_twice_notifies_once(cast, assigned):
    day = DUE + dt.timedelta(days=1)
    first = run_sweep(day)
    second = run_sweep(day)

    assert first > 0 and second == 0
    assert Notification.objects.filter(kind="suggestions.answer_overdue").count() == 2  # department, staff


# Real commits: two sweeps in threads of their own claim reminders with row locks on their own connections.
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_and_relays_send_each_reminder_exactly_once(smtp):
    cast = build_cast()
    for user in (cast.staff, cast.department_user, cast.deputy_user, cast.other_deputy_user, cast.chairman):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    suggestion_in_state(Suggestion.State.ASSIGNED, proposer=cast.deputy, staff=cast.staff, department=cast.department)
    day = dt.date(2026, 12, 21)  # a Monday, the check day of December (the 20th is a Sunday)
    expected = len(collect(day))
    assert expected >= 5
    before = Notification.objects.count()  # the submission told staff already

    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            from congress.tasks import daily_sweep

            daily_sweep(day.isoformat())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert Notification.objects.count() == before + expected
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0
    assert len(smtp.messages) == Delivery.objects.count() >= expected


def _schedule_migration():
    import importlib

    return importlib.import_module("congress.migrations.0007_reminder_schedule")


@pytest.mark.django_db
def test_the_data_migration_puts_the_schedule_in_the_beat_tables_at_08_30_shanghai():
    from django.apps import apps

    migration = _schedule_migration()
    # Start from empty tables: a transactional test of a reused database may have flushed them.
    PeriodicTask.objects.all().delete()
    migration.create_schedule(apps, None)

    sweep = PeriodicTask.objects.get(task="congress.tasks.daily_sweep")
    relay = PeriodicTask.objects.get(task="congress.tasks.relay_outbox")
    assert (sweep.crontab.hour, sweep.crontab.minute, str(sweep.crontab.timezone)) == ("8", "30", "Asia/Shanghai")
    assert sweep.enabled and relay.enabled
    assert relay.interval.every == 1 and relay.interval.period == "minutes"
    assert any(getattr(op, "code", None) is migration.create_schedule for op in migration.Migration.operations)


@pytest.mark.django_db
def test_an_edit_in_the_admin_survives_the_migration_running_again():
    from django.apps import apps

    migration = _schedule_migration()
    migration.create_schedule(apps, None)
    PeriodicTask.objects.filter(task="congress.tasks.daily_sweep").update(enabled=False)

    migration.create_schedule(apps, None)

    assert not PeriodicTask.objects.get(task="congress.tasks.daily_sweep").enabled
    assert PeriodicTask.objects.filter(task="congress.tasks.daily_sweep").count() == 1


def test_dry_run_lists_the_days_reminders_and_sends_nothing(cast, assigned):
    out = StringIO()

    call_command("send_reminders", "--date", "2026-06-03", "--dry-run", stdout=out)

    assert "suggestions.answer_overdue" in out.getvalue()
    assert "2 would be sent" in out.getvalue()
    assert not Notification.objects.filter(kind__startswith="suggestions.answer").exists()


def test_send_reminders_twice_sends_nothing_the_second_time(cast, assigned):
    first, second, listing = StringIO(), StringIO(), StringIO()

    call_command("send_reminders", "--date", "2026-06-03", stdout=first)
    call_command("send_reminders", "--date", "2026-06-03", stdout=second)
    call_command("send_reminders", "--date", "2026-06-03", "--dry-run", stdout=listing)

    assert "2 new notifications" in first.getvalue()
    assert "0 new notifications" in second.getvalue()
    assert "0 would be sent" in listing.getvalue() and "[already sent]" in listing.getvalue()


@pytest.fixture
def answered_in_2025(cast):
    """Answered on 30 September 2025; its 20 working days to be rated end on 4 November 2025."""
    return suggestion_in_state(
        Suggestion.State.ANSWERED,
        proposer=cast.deputy,
        staff=cast.staff,
        department=cast.department,
        assigned_on=dt.date(2025, 8, 31),
    )


def test_the_daily_sweep_records_unrated_the_day_after_the_rating_window(cast, answered_in_2025):
    daily_sweep.apply(args=["2025-11-04"])  # the last day to rate: the deputy is reminded, nothing recorded
    answered_in_2025.refresh_from_db()
    assert (answered_in_2025.state, answered_in_2025.rating) == (Suggestion.State.ANSWERED, "")
    assert Notification.objects.filter(recipient=cast.deputy_user, kind="suggestions.rating").count() == 1

    daily_sweep.apply(args=["2025-11-05"])
    answered_in_2025.refresh_from_db()
    assert (answered_in_2025.state, answered_in_2025.rating) == (Suggestion.State.CLOSED, "unrated")
    assert answered_in_2025.events.latest("at").actor is None


def test_the_dry_run_records_no_unrated_answer(cast, answered_in_2025):
    call_command("send_reminders", "--date", "2025-11-05", "--dry-run", stdout=StringIO())

    answered_in_2025.refresh_from_db()
    assert answered_in_2025.state == Suggestion.State.ANSWERED


def test_a_review_month_without_its_round_reminds_staff_and_the_departments_on_its_first_working_day(cast):
    AnnualPlanFactory(town=cast.town, year=2026)  # review months 2, 4, 6, 8, 10, 12
    LivelihoodProjectFactory(town=cast.town, lead_department=cast.department)
    idle = factories.DepartmentFactory(town=cast.town, name="城建办")
    factories.UserFactory(username="builder", role=Role.DEPARTMENT, town=cast.town, department=idle)
    LivelihoodProjectFactory(town=cast.town, lead_department=idle, status=LivelihoodProject.Status.ADOPTED)

    found = review_round_reminders(dt.date(2026, 6, 1))  # a Monday

    assert sorted((r.recipient.username, r.kind, r.period) for r in found) == [
        ("department", "supervision.review_due", "2026-06"),
        ("staff", "supervision.review_due", "2026-06"),
    ]
    assert review_round_reminders(dt.date(2026, 6, 2)) == []
    assert review_round_reminders(dt.date(2026, 7, 1)) == []  # not a review month


def test_no_review_reminder_once_the_round_is_open(cast):
    AnnualPlanFactory(town=cast.town, year=2026)
    LivelihoodProjectFactory(town=cast.town, lead_department=cast.department)
    open_round(town=cast.town, year=2026, month=6, by=cast.staff)

    assert review_round_reminders(dt.date(2026, 6, 1)) == []


def test_the_review_reminder_waits_for_the_first_working_day_after_a_holiday(cast):
    AnnualPlanFactory(town=cast.town, year=2026, review_months=[10])
    LivelihoodProjectFactory(town=cast.town, lead_department=cast.department)

    assert review_round_reminders(dt.date(2026, 10, 1)) == []  # National Day
    assert review_round_reminders(first_working_day(2026, 10)) != []
    assert first_working_day(2026, 10) > dt.date(2026, 10, 7)


def test_the_digest_lists_overdue_supervised_suggestions_only(cast, assigned):
    flag_for_supervision(by=cast.chairman, suggestion=assigned, notes="群众反映强烈")
    suggestion_in_state(  # overdue too, but not supervised
        Suggestion.State.ASSIGNED,
        proposer=cast.other_deputy,
        staff=cast.staff,
        department=cast.department,
        title="建议增设公交站",
    )

    (before,) = chairman_digest(dt.date(2026, 6, 1))  # a Monday, the day before it is due
    (after,) = chairman_digest(dt.date(2026, 6, 8))

    assert assigned.reference not in before.body
    assert assigned.reference in after.body and assigned.title in after.body
    assert "建议增设公交站" not in after.body


def test_a_target_of_february_is_due_on_the_28th(cast):
    project = LivelihoodProjectFactory(town=cast.town, lead_department=cast.department)
    MonthlyTargetFactory(project=project, month=dt.date(2026, 2, 1))

    assert target_reminders(dt.date(2026, 2, 20)) == []
    (due,) = [r for r in target_reminders(dt.date(2026, 2, 21)) if r.recipient == cast.staff]
    assert (due.kind, due.period, due.reason) == ("supervision.target_due", "2026-02", "due 2026-02-28")
    assert kinds_for(target_reminders(dt.date(2026, 2, 28)), cast.staff) == [("supervision.target_due", "2026-02")]
    assert kinds_for(target_reminders(dt.date(2026, 3, 1)), cast.staff) == [("supervision.target_overdue", "2026-03")]


def test_an_overdue_answer_is_reminded_again_when_the_month_turns(cast, assigned):
    run_sweep(dt.date(2026, 6, 30))
    run_sweep(dt.date(2026, 6, 30))
    assert Notification.objects.filter(kind="suggestions.answer_overdue", period="2026-06").count() == 2

    run_sweep(dt.date(2026, 7, 1))

    assert Notification.objects.filter(kind="suggestions.answer_overdue", period="2026-07").count() == 2


def collect_queries(day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        found = collect(day)
    return len(queries), found


def test_the_sweep_reads_users_and_working_days_once_however_many_suggestions_are_due(cast):
    def assign():
        return suggestion_in_state(
            Suggestion.State.ASSIGNED, proposer=cast.deputy, staff=cast.staff, department=cast.department
        )

    day = DUE - dt.timedelta(days=14)
    assign()
    few, found_few = collect_queries(day)
    for _ in range(4):
        assign()
    many, found_many = collect_queries(day)

    assert len(found_many) > len(found_few)  # each suggestion reminds the department and the staff
    assert many == few
    # The users read once are the ones each lookup finds by itself.
    direct = {r.key for r in suggestion_reminders(day)}
    assert {r.key for r in found_many if r.kind.startswith("suggestions.")} == direct


def test_the_chairman_digest_asks_the_same_queries_for_three_towns_as_for_one(cast):
    from tests import factories as core

    def town_with_red_project(name):
        town = core.TownFactory(district=cast.town.district, name=name)
        core.UserFactory(role="chairman", town=town)
        core.DeputyFactory(town=town)
        project = LivelihoodProjectFactory(town=town, name=f"{name}道路")
        ProjectReviewFactory(
            project=project, round__town=town, actual_percent=5, light="red", light_reason="far_behind",
            reviewed_at=timezone.now(),
        )  # fmt: skip

    monday = dt.date(2026, 11, 23)
    town_with_red_project("桥梓镇")
    few, one = collect_queries(monday)
    town_with_red_project("大水峪镇")
    town_with_red_project("庙城镇")
    many, three = collect_queries(monday)

    digests = [r for r in three if r.kind == "digest.weekly"]
    assert len(digests) == len([r for r in one if r.kind == "digest.weekly"]) + 2
    assert any("大水峪镇道路" in r.body for r in digests)
    assert many == few


@pytest.mark.parametrize(
    ("given", "dry_run", "says"),
    [
        ("", False, "YYYY-MM-DD"),
        ("  ", True, "YYYY-MM-DD"),
        ("2026-13-01", False, "YYYY-MM-DD"),
        ("tomorrow", False, "YYYY-MM-DD"),
        ("２０２６-０６-０３", False, "YYYY-MM-DD"),
        ("0001-01-01", True, "out of range"),
        ("9999-12-31", True, "out of range"),
        ("future", False, "only with --dry-run"),
        ("far future", True, "out of range"),
    ],
)
def test_send_reminders_refuses_a_day_it_cannot_mean(db, given, dry_run, says):
    today = timezone.localdate()
    given = {"future": today + dt.timedelta(days=1), "far future": today + dt.timedelta(days=400)}.get(given, given)
    options = ["--dry-run"] if dry_run else []
    with pytest.raises(CommandError, match=says):
        call_command("send_reminders", "--date", str(given), *options, stdout=StringIO())
    assert not Notification.objects.exists()


def test_a_dry_run_may_look_ahead_within_the_year(db):
    out = StringIO()
    ahead = timezone.localdate() + dt.timedelta(days=30)
    call_command("send_reminders", "--date", ahead.isoformat(), "--dry-run", stdout=out)
    assert f"{ahead.isoformat()}: 0 due, 0 would be sent" in out.getvalue()


def test_a_refused_date_is_one_line_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--date", ""],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["CommandError: --date must be a day written YYYY-MM-DD, not ''"]

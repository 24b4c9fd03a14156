"""The monthly visit check and the pace check, as the daily sweep runs them."""

import datetime as dt

import pytest

from congress import notifications as notifications_module
from congress.models import ChannelPreference, Delivery, Notification, User, WorkingDayOverride
from congress.reminders import run_sweep
from tests import factories as core
from tests.visits import factories
from visits.tasks import monthly_visit_reminders, pace_reminders

pytestmark = pytest.mark.django_db

CHECK_DAY = dt.date(2026, 11, 20)


def visit(cast, day, deputy, household=None):
    household = household or factories.HouseholdFactory(town=cast.town, village=cast.village)
    return factories.VisitFactory(town=cast.town, household=household, visited_on=day, deputies=[deputy])


def monthly(day, user):
    return [r for r in monthly_visit_reminders(day) if r.recipient == user]


def test_a_deputy_under_the_monthly_target_is_told_what_is_missing_and_who_is_unvisited(cast):
    visit(cast, dt.date(2026, 11, 3), cast.deputy)
    factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="王未访", address="北房村8号")

    (reminder,) = monthly(CHECK_DAY, cast.deputy_user)

    assert (reminder.kind, reminder.subject, reminder.period) == (
        "visits.monthly",
        f"deputy:{cast.deputy.pk}",
        "2026-11",
    )
    assert "1" in reminder.title
    assert "王未访（北房村8号）" in reminder.body
    assert "1/2" in reminder.reason


def test_a_deputy_who_met_the_target_is_told_nothing(cast):
    visit(cast, dt.date(2026, 11, 3), cast.deputy)
    visit(cast, dt.date(2026, 11, 12), cast.deputy)

    assert monthly(CHECK_DAY, cast.deputy_user) == []


def test_a_deputy_who_took_office_this_month_is_not_checked_for_it(cast):
    cast.deputy.served_from = dt.date(2026, 11, 18)
    cast.deputy.save(update_fields=["served_from"])

    assert monthly(CHECK_DAY, cast.deputy_user) == []


def test_nothing_is_checked_the_day_before_the_check_day(cast):
    assert monthly_visit_reminders(dt.date(2026, 11, 19)) == []


def test_when_the_20th_is_a_sunday_the_check_runs_on_monday(cast):
    assert monthly_visit_reminders(dt.date(2026, 12, 20)) == []
    assert monthly(dt.date(2026, 12, 21), cast.deputy_user)


def test_when_the_20th_is_a_holiday_the_check_runs_on_the_next_working_day(cast):
    assert monthly_visit_reminders(dt.date(2026, 2, 20)) == []
    assert monthly_visit_reminders(dt.date(2026, 2, 23)) == []
    assert monthly(dt.date(2026, 2, 24), cast.deputy_user)


def test_an_override_moves_the_check(cast):
    WorkingDayOverride.objects.create(day=CHECK_DAY, is_working_day=False, note="临时放假")

    assert monthly_visit_reminders(CHECK_DAY) == []
    assert monthly(dt.date(2026, 11, 23), cast.deputy_user)


def test_a_deputy_behind_the_yearly_pace_is_told_on_the_first_working_day(cast):
    (reminder,) = [r for r in pace_reminders(dt.date(2026, 11, 2)) if r.recipient == cast.deputy_user]

    assert reminder.kind == "visits.pace"
    assert "42" in reminder.body  # 50 households a year, 10 of 12 months completed


def test_the_pace_check_waits_for_the_first_working_day(cast):
    assert pace_reminders(dt.date(2026, 11, 1)) == []  # a Sunday


def test_a_deputy_on_pace_is_not_told(cast):
    core.AnnualPlanFactory(town=cast.town, year=2026, households_per_year=12)
    for month in range(1, 11):
        visit(cast, dt.date(2026, month, 5), cast.deputy)

    assert [r for r in pace_reminders(dt.date(2026, 11, 2)) if r.recipient == cast.deputy_user] == []


def test_the_sweep_sends_the_check_once_however_often_it_runs(cast):
    run_sweep(CHECK_DAY)
    run_sweep(CHECK_DAY)

    assert Notification.objects.filter(recipient=cast.deputy_user, kind="visits.monthly").count() == 1


def add_deputies(cast, count):
    """`count` more serving deputies, each with a login and a constituency (with a household) of their own,
    half of them in another town."""
    for i in range(count):
        town = cast.town if i % 2 else cast.other_town
        village = core.VillageFactory(town=town)
        constituency = core.ConstituencyFactory(town=town, villages=[village])
        factories.HouseholdFactory(town=town, village=village)
        user = core.UserFactory(role="deputy", town=town)
        core.DeputyFactory(town=town, constituency=constituency, user=user)


def sweep_queries(day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from congress.reminders import collect

    with CaptureQueriesContext(connection) as queries:
        due = collect(day)
    return len(queries), len(due)


@pytest.mark.parametrize("day", [CHECK_DAY, dt.date(2026, 11, 2)], ids=["monthly check", "pace check"])
def test_the_sweep_asks_the_same_number_of_queries_whatever_the_number_of_deputies(cast, day):
    add_deputies(cast, 2)
    few, reminded_few = sweep_queries(day)
    add_deputies(cast, 8)
    many, reminded_many = sweep_queries(day)

    assert reminded_many >= reminded_few + 8  # every new deputy is behind, so each was looked at
    assert many == few


def test_each_deputy_is_listed_the_unvisited_households_of_their_own_constituency(cast):
    village = core.VillageFactory(town=cast.town)
    constituency = core.ConstituencyFactory(town=cast.town, villages=[village])
    factories.HouseholdFactory(town=cast.town, village=village, head_name="赵远方", address="东村1号")
    user = core.UserFactory(role="deputy", town=cast.town)
    core.DeputyFactory(town=cast.town, constituency=constituency, user=user)
    factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="王未访", address="北房村8号")

    (theirs,) = monthly(CHECK_DAY, user)
    (ours,) = monthly(CHECK_DAY, cast.deputy_user)

    assert "赵远方（东村1号）" in theirs.body and "王未访" not in theirs.body
    assert "王未访（北房村8号）" in ours.body and "赵远方" not in ours.body


def sending_statements(day):
    """The statements of a whole sweep (collecting and sending), without transaction control, and what it
    sent; rolled back, so the next call sends the same again."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        sent = run_sweep(day)
        deliveries = Delivery.objects.filter(notification__kind="visits.monthly").count()
        transaction.set_rollback(True)
    control = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
    statements = [q for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith(control)]
    return len(statements) - 1, sent, deliveries  # the count of deliveries is the test's own


def reachable_by_mail_and_sms():
    """Every deputy has an e-mail address; every other one wants SMS too."""
    for i, user in enumerate(User.objects.filter(role="deputy").order_by("pk")):
        user.email = f"deputy{user.pk}@example.cn"
        user.phone = f"139{user.pk:08d}"
        user.save(update_fields=["email", "phone"])
        if i % 2:
            ChannelPreference.objects.update_or_create(user=user, defaults={"sms": True})


def test_the_sweep_sends_in_batches_so_its_statements_do_not_grow_with_the_reminders(cast):
    add_deputies(cast, 10)
    reachable_by_mail_and_sms()
    few, sent_few, deliveries_few = sending_statements(CHECK_DAY)
    add_deputies(cast, 50)
    reachable_by_mail_and_sms()
    many, sent_many, deliveries_many = sending_statements(CHECK_DAY)

    assert sent_many == sent_few + 50  # every new deputy is behind and told
    # An e-mail for each deputy told and an SMS for every other one: the outbox rows came with the batch.
    assert deliveries_many == deliveries_few + 75
    assert many <= few + 1, (few, many)


def test_a_sweep_run_again_sends_no_notification_and_no_delivery_twice(cast, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 3  # several batches, each committed on its own
    add_deputies(cast, 6)
    reachable_by_mail_and_sms()
    first = run_sweep(CHECK_DAY)
    notifications, deliveries = Notification.objects.count(), Delivery.objects.count()

    assert first >= 7 and deliveries >= first
    assert run_sweep(CHECK_DAY) == 0
    assert (Notification.objects.count(), Delivery.objects.count()) == (notifications, deliveries)
    # Each new notification got the outbox rows of its recipient's channels, no more.
    for note in Notification.objects.filter(kind="visits.monthly").select_related("recipient"):
        assert sorted(note.deliveries.values_list("channel", flat=True)) == sorted(
            notifications_module.channel_addresses(note.recipient)
        )

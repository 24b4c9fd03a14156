"""The audit trail: events for sign-ins, refusals and exports, change history, the append-only trigger,
retention with its six-month floor, and the search page."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from congress import audit
from congress.models import AuditAction, AuditEvent, AuditResult, Deputy
from tests import factories
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def test_a_sign_in_is_recorded_with_user_town_and_address(client, cast):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    [event] = events(action=AuditAction.LOGIN)
    assert (event.user, event.username, event.town, event.ip, event.result) == (
        cast.staff,
        "staff",
        cast.town,
        "10.1.2.3",
        AuditResult.SUCCESS,
    )


def test_a_failed_sign_in_is_recorded_under_the_name_tried(client, cast):
    client.post(reverse("login"), {"username": "staff", "password": "wrong-password"}, REMOTE_ADDR="10.9.9.9")
    client.post(reverse("login"), {"username": "nobody-here", "password": "x"})
    known, unknown = events(action=AuditAction.LOGIN_FAILED)
    assert (known.username, known.user, known.town, known.ip, known.result) == (
        "staff",
        cast.staff,
        cast.town,
        "10.9.9.9",
        AuditResult.FAILURE,
    )
    assert (unknown.username, unknown.user, unknown.town) == ("nobody-here", None, None)


def test_a_sign_out_is_recorded(client, cast):
    client.force_login(cast.chairman)
    client.post(reverse("logout"))
    [event] = events(action=AuditAction.LOGOUT)
    assert (event.user, event.town) == (cast.chairman, cast.town)


def test_a_record_outside_the_scope_is_a_404_recorded_as_denied(client, cast):
    client.force_login(cast.outsider_staff)
    response = client.get(reverse("congress:deputy_edit", args=[cast.deputy.pk]))
    assert response.status_code == 404
    [event] = events(action=AuditAction.DENIED)
    assert (event.user, event.target, event.result) == (
        cast.outsider_staff,
        f"congress.deputy:{cast.deputy.pk}",
        AuditResult.FAILURE,
    )
    assert event.detail.startswith("404 GET ")


def test_a_missing_record_is_a_404_but_no_denial(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("congress:deputy_edit", args=[999_999])).status_code == 404
    assert events(action=AuditAction.DENIED) == []


def test_a_refused_action_is_a_403_recorded_as_denied(client, cast):
    client.force_login(cast.deputy_user)
    assert client.get(reverse("congress:account_list")).status_code == 403
    [event] = events(action=AuditAction.DENIED)
    assert (event.user, event.detail) == (cast.deputy_user, f"403 GET {reverse('congress:account_list')}")


def test_an_export_of_personal_data_is_recorded_with_its_filters(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("visits:household_export"), {"full": "1", "q": "王"})
    assert response.status_code == 200
    [event] = events(action=AuditAction.EXPORT)
    assert (event.user, event.target, event.result) == (cast.staff, "visits.household_register", AuditResult.SUCCESS)
    assert event.detail.startswith("full ?") and "q=%E7%8E%8B" in event.detail


def test_a_refused_full_export_leaves_a_denial_and_no_export(client, cast):
    client.force_login(cast.chairman)
    assert client.get(reverse("visits:household_export"), {"full": "1"}).status_code == 403
    assert events(action=AuditAction.EXPORT) == []
    assert len(events(action=AuditAction.DENIED)) == 1


def test_a_change_to_a_deputy_keeps_its_history_with_who_made_it(client, cast):
    client.force_login(cast.staff)
    data = {
        "name": "张晓明",
        "gender": "M",
        "birth_year": 1975,
        "phone": "13911112222",
        "constituency": cast.deputy.constituency_id,
        "term": 18,
        "expertise": "农业",
        "served_from": "2022-01-01",
    }
    assert client.post(reverse("congress:deputy_edit", args=[cast.deputy.pk]), data).status_code == 302
    latest = cast.deputy.history.order_by("-history_id").first()
    assert (latest.history_type, latest.phone, latest.history_user) == ("~", "13911112222", cast.staff)
    assert cast.deputy.history.count() >= 2


def test_every_audited_app_keeps_history_of_its_key_records():
    labels = {m._meta.label for m in audit.history_models()}
    assert {
        "congress.HistoricalDeputy",
        "congress.HistoricalUser",
        "suggestions.HistoricalSuggestion",
        "sittings.HistoricalAttendance",
        "visits.HistoricalHousehold",
        "visits.HistoricalVisit",
        "visits.HistoricalOpinion",
        "supervision.HistoricalLivelihoodProject",
        "supervision.HistoricalMonthlyTarget",
        "supervision.HistoricalProjectReview",
        "supervision.HistoricalProjectVoteItem",
        "supervision.HistoricalRectification",
    } <= labels


def test_the_user_history_keeps_no_password_hash(cast):
    fields = {f.name for f in cast.staff.history.model._meta.fields}
    assert "password" not in fields and "phone" in fields


# --- the database refuses to rewrite the trail ------------------------------------------------------


def _refused(sql, params):
    with (
        pytest.raises(IntegrityError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_the_database_refuses_to_update_or_delete_an_audit_event(cast):
    event = audit.record(action=AuditAction.LOGIN, user=cast.staff)
    _refused("UPDATE congress_auditevent SET username = 'someone' WHERE id = %s", [event.pk])
    _refused("DELETE FROM congress_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(result=AuditResult.FAILURE)
    assert AuditEvent.objects.get(pk=event.pk).username == "staff"


def test_the_database_refuses_to_rewrite_change_history(cast):
    cast.deputy.phone = "13700000000"
    cast.deputy.save()
    row = cast.deputy.history.latest()
    table = row._meta.db_table
    _refused(f"UPDATE {table} SET phone = '0' WHERE history_id = %s", [row.history_id])
    _refused(f"DELETE FROM {table} WHERE history_id = %s", [row.history_id])
    assert cast.deputy.history.get(history_id=row.history_id).phone == "13700000000"


def test_every_history_table_and_the_audit_table_carry_the_append_only_trigger(db):
    tables = {"congress_auditevent", *(model._meta.db_table for model in audit.history_models())}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname LIKE '%%_append_only'"
        )
        guarded = {table for table, name in cursor.fetchall() if name == f"{table}_append_only"}
    assert len(tables) >= 20
    assert tables - guarded == set()


def test_the_prune_switch_does_not_open_young_rows(cast):
    event = audit.record(action=AuditAction.LOGIN, user=cast.staff)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL congress.audit_prune = 'on'")
        _refused("DELETE FROM congress_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_truncate_still_empties_the_trail(cast):
    audit.record(action=AuditAction.LOGIN, user=cast.staff)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE congress_auditevent")
    assert not AuditEvent.objects.exists()


# --- retention ------------------------------------------------------------------------------------------


def _aged(days, cast):
    """An audit event and a deputy change made `days` ago."""
    with time_machine.travel(timezone.now() - dt.timedelta(days=days), tick=False):
        event = audit.record(action=AuditAction.LOGIN, user=cast.staff, detail=f"{days} days")
        deputy = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, name=f"代表{days}")
    return event, deputy


def test_prune_removes_rows_past_retention_and_keeps_the_rest(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    old_event, old_deputy = _aged(400, cast)
    kept_event, kept_deputy = _aged(300, cast)
    out = StringIO()
    call_command("prune_audit", stdout=out)
    assert not AuditEvent.objects.filter(pk=old_event.pk).exists()
    assert AuditEvent.objects.filter(pk=kept_event.pk).exists()
    assert not Deputy.history.filter(id=old_deputy.pk).exists()
    assert Deputy.history.filter(id=kept_deputy.pk).exists()
    assert "congress_auditevent: 1" in out.getvalue()


def test_prune_never_goes_below_six_months_even_when_asked(cast, settings):
    settings.AUDIT_RETENTION_DAYS = 1
    young_event, young_deputy = _aged(170, cast)
    old_event, _ = _aged(200, cast)
    err = StringIO()
    call_command("prune_audit", "--days", "7", stdout=StringIO(), stderr=err)
    assert AuditEvent.objects.filter(pk=young_event.pk).exists()
    assert Deputy.history.filter(id=young_deputy.pk).exists()
    assert not AuditEvent.objects.filter(pk=old_event.pk).exists()
    assert "six-month floor" in err.getvalue()
    assert audit.retention_days() == audit.RETENTION_FLOOR_DAYS


def test_after_a_prune_the_trail_is_locked_again(cast):
    _aged(400, cast)
    audit.prune(days=400)
    event = audit.record(action=AuditAction.LOGIN, user=cast.staff)
    _refused("DELETE FROM congress_auditevent WHERE id = %s", [event.pk])


# --- the search page ----------------------------------------------------------------------------------


def _listed(response):
    return [e.pk for e in response.context["page"]]


def test_the_chairman_searches_the_town_trail_by_date_user_action_and_result(client, cast):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        march = audit.record(action=AuditAction.LOGIN, user=cast.staff)
    with time_machine.travel(dt.datetime(2026, 5, 2, 10, tzinfo=dt.UTC), tick=False):
        may_login = audit.record(action=AuditAction.LOGIN, user=cast.cadre)
        may_failed = audit.record(action=AuditAction.LOGIN_FAILED, result=AuditResult.FAILURE, user=cast.cadre)
        audit.record(action=AuditAction.LOGIN, user=cast.outsider_staff)
    client.force_login(cast.chairman)
    url = reverse("congress:audit")
    everything = _listed(client.get(url))
    assert march.pk in everything and may_login.pk in everything
    assert all(AuditEvent.objects.get(pk=pk).town_id == cast.town.pk for pk in everything)
    assert _listed(client.get(url, {"date_from": "2026-03-01", "date_to": "2026-03-31"})) == [march.pk]
    assert _listed(client.get(url, {"user": "cadre", "date_to": "2026-06-01"})) == [may_failed.pk, may_login.pk]
    assert _listed(client.get(url, {"action": "login", "user": "cadre"})) == [may_login.pk]
    assert _listed(client.get(url, {"result": "failure", "user": "cadre"})) == [may_failed.pk]


def test_a_row_written_before_its_model_moved_app_is_shown_under_the_label_of_today(client, cast):
    # The session models lived in congress until they moved to sittings; their old rows stay as written.
    old = audit.record(action=AuditAction.EXPORT, user=cast.staff, target="congress.session:7")
    gone = audit.record(action=AuditAction.EXPORT, user=cast.staff, target="congress.nosuchmodel:3")
    plain = audit.record(action=AuditAction.EXPORT, user=cast.staff, target="/visits/export/")
    client.force_login(cast.chairman)

    page = client.get(reverse("congress:audit")).content.decode()

    assert AuditEvent.objects.get(pk=old.pk).target == "congress.session:7"
    assert old.shown_target == "sittings.session:7"
    assert "sittings.session:7" in page and "congress.session:7" not in page
    assert gone.shown_target == "congress.nosuchmodel:3"
    assert plain.shown_target == "/visits/export/"


def test_the_search_explains_a_backwards_date_range(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("congress:audit"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == ["结束日期早于开始日期。"]


def test_the_audit_page_is_in_the_chairmans_navigation_only_for_the_right_roles(client, cast):
    client.force_login(cast.chairman)
    assert reverse("congress:audit") in client.get(reverse("home")).content.decode()
    client.force_login(cast.deputy_user)
    assert reverse("congress:audit") not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_to": "<script>alert(1)</script>"}, "date_to"),
        ({"user": "x" * 10_000}, "user"),
        ({"action": "drop table"}, "action"),
        ({"result": "' OR 1=1 --"}, "result"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
    ],
)
def test_hostile_search_input_gets_a_field_message_never_an_error(client, cast, params, field):
    client.force_login(cast.chairman)
    response = client.get(reverse("congress:audit"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_changes_tab_shows_who_changed_which_record_of_the_town_only(client, cast):
    from tests.visits import factories as visit_factories

    with time_machine.travel(dt.datetime(2026, 4, 2, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(cast.staff)
        household = visit_factories.HouseholdFactory(town=cast.town, village=cast.village, phone="13812345678")
        client.post(
            reverse("visits:household_edit", args=[household.pk]),
            {
                "village": cast.village.pk,
                "address": "北街1号",
                "head_name": "王五",
                "phone": "13812340000",
                "size": 3,
                "status": "resident",
            },
        )
        visit_factories.HouseholdFactory(town=cast.other_town, village=factories.VillageFactory(town=cast.other_town))
    client.force_login(cast.chairman)
    url = reverse("congress:audit_changes")
    rows = client.get(url, {"date_from": "2026-04-01", "date_to": "2026-04-30"}).context["rows"]
    assert {(r.instance_type.__name__, r.id, r.history_type) for r in rows} == {
        ("Household", household.pk, "+"),
        ("Household", household.pk, "~"),
    }
    by_staff = client.get(url, {"user": "staff", "date_from": "2026-04-01"}).context["rows"]
    assert [(r.id, r.history_type, r.history_user) for r in by_staff] == [(household.pk, "~", cast.staff)]
    assert client.get(url, {"date_from": "2026-05-01", "date_to": "2026-05-31"}).context["rows"] == []


def test_a_sign_in_leaves_an_event_but_no_change_to_the_account(client, cast):
    before = cast.staff.history.count()
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    cast.staff.full_name = "新名字"
    cast.staff.save()
    assert cast.staff.history.count() == before + 1
    assert cast.staff.history.latest().full_name == "新名字"


def test_beat_prunes_the_trail_monthly_through_the_same_floor(cast, settings):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    from congress.tasks import prune_audit_trail

    # Start from the migration itself: a transactional test of a reused database may have flushed the table.
    PeriodicTask.objects.filter(task="congress.tasks.prune_audit_trail").delete()
    importlib.import_module("congress.migrations.0010_audit_prune_schedule").create_schedule(apps, None)
    task = PeriodicTask.objects.get(task="congress.tasks.prune_audit_trail")
    assert (task.crontab.day_of_month, task.crontab.hour, task.enabled) == ("1", "3", True)
    settings.AUDIT_RETENTION_DAYS = 30
    old_event, _ = _aged(400, cast)
    young_event, _ = _aged(100, cast)
    assert prune_audit_trail() >= 1
    assert not AuditEvent.objects.filter(pk=old_event.pk).exists()
    assert AuditEvent.objects.filter(pk=young_event.pk).exists()


def test_a_malformed_client_address_is_left_out_not_an_error(rf):
    assert audit.client_ip(rf.get("/", REMOTE_ADDR="not-an-address")) is None
    assert audit.client_ip(rf.get("/", REMOTE_ADDR="10.0.0.7")) == "10.0.0.7"

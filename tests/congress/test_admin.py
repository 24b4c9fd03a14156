"""The Django admin belongs to installation superusers: every core model is there, and nobody else gets in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.display_links import create_display_link
from congress.models import (
    AnnualPlan,
    Attachment,
    AuditEvent,
    ChannelPreference,
    Deputy,
    DisplayLink,
    PersonalDataRequest,
    User,
    WorkingDayOverride,
)
from congress.notifications import notify
from congress.uploads import store_upload
from duty import services as activities
from sittings.models import AgendaItem, BudgetLine
from suggestions.models import Suggestion
from tests import factories
from tests.sittings import factories as factories_sessions
from tests.suggestions.factories import suggestion_in_state

CONGRESS_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "congress"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model: type, view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def filled(cast):
    """The cast, plus a venue and a plan, so every changelist renders at least one row."""
    station = factories.VenueFactory(town=cast.town, village=cast.village)
    factories.AnnualPlanFactory(town=cast.town, year=2026)
    activities.record_activity(
        by=cast.staff, kind="training", title="履职培训", held_on=dt.date(2025, 3, 1), participants=[cast.deputy]
    )
    activities.set_reception_duty(by=cast.staff, venue=station, on_date=dt.date(2025, 3, 15), deputies=[cast.deputy])
    store_upload(
        by=cast.staff,
        town=cast.town,
        owner=cast.deputy,
        uploaded_file=SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    suggestion_in_state(
        Suggestion.State.CLOSED,
        proposer=cast.deputy,
        staff=cast.staff,
        department=cast.department,
        title="北房村路灯建议",
    )
    meeting = factories_sessions.session(cast.town, cast.staff)
    factories_sessions.attend(meeting, cast.staff, present=[cast.deputy, cast.other_deputy])
    budget = meeting.items.get(kind=AgendaItem.Kind.BUDGET_REPORT)
    BudgetLine.objects.create(
        item=budget, side=BudgetLine.Side.REVENUE, category="一般公共预算收入", last_year=100, this_year=110
    )
    ChannelPreference.objects.create(user=cast.deputy_user, sms=True)
    cast.deputy_user.phone = "13800001234"
    cast.deputy_user.save(update_fields=["phone"])
    notify(recipient=cast.deputy_user, kind="test", subject="deputy:1", period="2026-11", title="走访提醒")
    WorkingDayOverride.objects.create(day=dt.date(2026, 12, 20), is_working_day=True, note="调休")
    create_display_link(by=cast.staff, town=cast.town, label="三楼会议室")
    factories.PersonalDataRequestFactory(town=cast.town, recorded_by=cast.staff, requester="北房村王秀英")
    return cast


def test_every_congress_model_is_registered():
    from django.apps import apps

    # Change history (django-simple-history's Historical* models) is read on the audit page instead.
    models = {m for m in apps.get_app_config("congress").get_models() if not hasattr(m, "instance_type")}
    assert set(CONGRESS_MODELS) == models


def test_staff_flagged_user_who_is_not_superuser_is_sent_to_the_admin_login(filled, client):
    filled.staff.is_staff = True
    filled.staff.save(update_fields=["is_staff"])
    client.force_login(filled.staff)

    index = client.get(reverse("admin:index"))
    changelist = client.get(admin_url(Deputy, "changelist"))

    assert index.status_code == 302
    assert index.url.startswith(reverse("admin:login"))
    assert changelist.status_code == 302
    assert changelist.url.startswith(reverse("admin:login"))


def test_staff_flagged_user_cannot_change_anything_through_the_admin(filled, client):
    filled.staff.is_staff = True
    filled.staff.save(update_fields=["is_staff"])
    client.force_login(filled.staff)

    response = client.post(admin_url(User, "change", filled.staff.pk), {"username": "staff", "is_superuser": "on"})

    assert response.status_code == 302
    filled.staff.refresh_from_db()
    assert not filled.staff.is_superuser


@pytest.mark.parametrize("persona", ["staff", "chairman", "district_user"])
def test_portal_users_without_staff_flag_are_sent_to_the_admin_login(filled, client, persona):
    client.force_login(filled.user(persona))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302


@pytest.mark.parametrize("model", CONGRESS_MODELS, ids=lambda model: model._meta.model_name)
def test_superuser_sees_every_changelist_add_and_change_page(filled, client, model):
    client.force_login(filled.superuser)
    obj = model.objects.first()
    assert obj is not None

    assert client.get(admin_url(model, "changelist")).status_code == 200
    # Attachments are only viewed here: files arrive through store_upload, which checks them; the audit
    # trail is written by the portal alone; display links through their page, which shows the token once;
    # personal data requests on the office's pages.
    addable = model not in (Attachment, AuditEvent, DisplayLink, PersonalDataRequest)
    assert client.get(admin_url(model, "add")).status_code == (200 if addable else 403)
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", CONGRESS_MODELS, ids=lambda model: model._meta.model_name)
def test_superuser_can_search_and_filter_every_changelist(filled, client, model):
    client.force_login(filled.superuser)

    assert client.get(admin_url(model, "changelist"), {"q": "北房"}).status_code == 200


def test_deputy_changelist_filters_by_in_office(filled, client):
    filled.other_deputy.served_until = filled.other_deputy.served_from
    filled.other_deputy.save(update_fields=["served_until"])
    client.force_login(filled.superuser)

    response = client.get(admin_url(Deputy, "changelist"), {"in_office": "yes"})

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [filled.deputy]


def test_superuser_can_add_a_user_with_role_and_town(filled, client):
    client.force_login(filled.superuser)

    response = client.post(
        admin_url(User, "add"),
        {
            "username": "new_cadre",
            "password1": "Village-cadre-2026",
            "password2": "Village-cadre-2026",
            "usable_password": "true",
            "role": "village_cadre",
            "town": filled.town.pk,
            "village": filled.village.pk,
            "full_name": "王秀英",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="new_cadre")
    assert (user.role, user.town, user.village) == ("village_cadre", filled.town, filled.village)


def test_copy_action_copies_selected_plans_to_the_next_year(filled, client):
    plan = AnnualPlan.objects.get(town=filled.town, year=2026)
    client.force_login(filled.superuser)

    response = client.post(
        admin_url(AnnualPlan, "changelist"), {"action": "copy_to_next_year", "_selected_action": [plan.pk]}
    )

    assert response.status_code == 302
    assert AnnualPlan.objects.filter(town=filled.town, year=2027).exists()


def test_copy_action_leaves_an_existing_plan_alone(filled, client):
    plan = AnnualPlan.objects.get(town=filled.town, year=2026)
    factories.AnnualPlanFactory(town=filled.town, year=2027, visits_per_month=5)
    client.force_login(filled.superuser)

    client.post(admin_url(AnnualPlan, "changelist"), {"action": "copy_to_next_year", "_selected_action": [plan.pk]})

    assert AnnualPlan.objects.get(town=filled.town, year=2027).visits_per_month == 5

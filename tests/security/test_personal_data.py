"""Personal data stays masked: every page of the permission matrix, fetched by every persona, never shows
a phone number in full to a persona that may not see it; the log of a run of requests never holds one.

Who may see a number in full (and then only through a recorded reveal, an edit form or a full export):
a household's — staff and the cadre of its village (visits.privacy); a deputy's — staff, the chairman
and the deputy (congress.privacy); a user's — staff who manage accounts and the user.
"""

from __future__ import annotations

import io
import logging
import zipfile

import pytest
from django.urls import reverse

from congress.models import AuditAction, AuditEvent
from congress.notifications import LoggingSmsSender, Message
from tests.conftest import PASSWORD
from tests.security.matrix import OK, collect_rows, rolled_back_cast
from tests.visits import factories
from visits.models import Household

DEPUTY_PHONE = "13700001111"
OTHER_DEPUTY_PHONE = "13700002222"
HOUSEHOLD_PHONE = "13600003333"
MATRIX_HOUSEHOLD_PHONE = "13811112222"  # the household the matrix rows of visits create
DEPUTY_USER_PHONE = "13500005555"

# Each seeded number and the personas that may see it in full.
MAY_SEE = {
    DEPUTY_PHONE: {"staff", "chairman", "deputy_user", "superuser"},
    OTHER_DEPUTY_PHONE: {"staff", "chairman", "other_deputy_user", "superuser"},
    HOUSEHOLD_PHONE: {"staff", "cadre", "superuser"},
    MATRIX_HOUSEHOLD_PHONE: {"staff", "cadre", "superuser"},
    DEPUTY_USER_PHONE: {"staff", "deputy_user", "superuser"},
}

ROWS = collect_rows()
CASES = [
    pytest.param(row, persona, id=f"{row.url}-{persona}")
    for row in ROWS
    for persona, outcome in row.get.items()
    if outcome == OK and persona != "anonymous" and set(MAY_SEE) - {n for n, who in MAY_SEE.items() if persona in who}
]


def seed_phones(cast):
    cast.deputy.phone = DEPUTY_PHONE
    cast.deputy.save(update_fields=["phone"])
    cast.other_deputy.phone = OTHER_DEPUTY_PHONE
    cast.other_deputy.save(update_fields=["phone"])
    cast.deputy_user.phone = DEPUTY_USER_PHONE
    cast.deputy_user.save(update_fields=["phone"])
    household = factories.HouseholdFactory(
        town=cast.town, village=cast.village, head_name="赵守诚", address="东街1号", phone=HOUSEHOLD_PHONE
    )
    factories.VisitFactory(
        town=cast.town, household=household, village=cast.village, deputies=[cast.deputy], recorded_by=cast.staff
    )
    return household


def readable_text(response) -> str:
    """The response as text; an .xlsx is read through its XML parts."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return body.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with rolled_back_cast(django_db_blocker, tmp_path_factory.mktemp("media"), seed_phones) as cast:
        yield cast


@pytest.mark.parametrize(("row", "persona"), CASES)
def test_no_page_shows_a_number_in_full_to_a_persona_that_may_not_see_it(row, persona, world, db, client):
    objects = row.objects(world)
    world.sign_in(client, persona)
    response = client.get(row.path(objects))
    assert response.status_code == 200
    text = readable_text(response)
    shown = [number for number, who in MAY_SEE.items() if persona not in who and number in text]
    assert shown == [], f"GET {row.path(objects)} as {persona} shows {shown} in full"


def test_the_scan_reads_exports_and_would_see_a_full_number(world, db, client):
    client.force_login(world.staff)
    full = client.get(reverse("visits:household_export"), {"full": "1"})
    masked = client.get(reverse("visits:household_export"))
    assert HOUSEHOLD_PHONE in readable_text(full)
    assert HOUSEHOLD_PHONE not in readable_text(masked) and "136****3333" in readable_text(masked)


def test_lists_mask_deputies_phones_for_everyone(world, db, client):
    for persona in ("staff", "chairman", "cadre", "deputy_user"):
        client.force_login(world.user(persona))
        text = client.get(reverse("congress:deputy_list")).content.decode()
        assert DEPUTY_PHONE not in text and "137****1111" in text


@pytest.mark.parametrize(
    ("persona", "may_reveal"),
    [("staff", True), ("chairman", True), ("deputy_user", True), ("cadre", False), ("district_user", False)],
)
def test_a_deputys_phone_is_revealed_on_request_and_recorded(world, db, client, persona, may_reveal):
    user = world.user(persona)
    client.force_login(user)
    page = client.get(reverse("congress:deputy_detail", args=[world.deputy.pk]))
    assert DEPUTY_PHONE not in page.content.decode() and page.context["can_reveal"] is may_reveal
    response = client.post(reverse("congress:deputy_reveal_phone", args=[world.deputy.pk]))
    reveals = AuditEvent.objects.filter(
        action=AuditAction.REVEAL, user=user, target=f"congress.deputy:{world.deputy.pk}"
    )
    if may_reveal:
        assert DEPUTY_PHONE in response.content.decode()
        assert reveals.count() == 1
    else:
        assert response.status_code == 403 and DEPUTY_PHONE not in response.content.decode()
        assert not reveals.exists()


def test_a_households_edit_form_shows_the_phone_masked_and_in_full_only_on_a_recorded_request(world, db, client):
    household = factories.HouseholdFactory(town=world.town, village=world.village, phone="13912340000")
    reveals = AuditEvent.objects.filter(
        action=AuditAction.REVEAL, user=world.cadre, target=f"visits.household:{household.pk}"
    )
    client.force_login(world.cadre)
    url = reverse("visits:household_edit", args=[household.pk])
    page = client.get(url).content.decode()
    assert 'value="139****0000"' in page and "13912340000" not in page
    assert f'href="{url}?show=phone"' in page
    assert not reveals.exists()

    shown = client.get(url, {"show": "phone"}).content.decode()
    assert 'value="13912340000"' in shown
    assert reveals.count() == 1


def test_the_households_page_leads_its_managers_to_the_edit_form(world, db, client):
    household = factories.HouseholdFactory(town=world.town, village=world.village, phone="13912340000")
    edit = reverse("visits:household_edit", args=[household.pk])
    client.force_login(world.staff)
    assert f'href="{edit}"' in client.get(reverse("visits:household_detail", args=[household.pk])).content.decode()
    client.force_login(world.chairman)
    assert edit not in client.get(reverse("visits:household_detail", args=[household.pk])).content.decode()


def test_posting_the_masked_phone_back_keeps_the_number_and_a_new_one_replaces_it(world, db, client):
    household = factories.HouseholdFactory(town=world.town, village=world.village, phone="13912340000")
    client.force_login(world.staff)
    url = reverse("visits:household_edit", args=[household.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in ("village", "address", "head_name", "size", "status")}
    data["address"] = "北街2号"
    assert client.post(url, {**data, "phone": "139****0000"}).status_code == 302
    household.refresh_from_db()
    assert (household.address, household.phone) == ("北街2号", "13912340000")
    assert client.post(url, {**data, "phone": "13800001111"}).status_code == 302
    household.refresh_from_db()
    assert household.phone == "13800001111"
    # A mask of another number is no number: refused on the field, nothing saved.
    response = client.post(url, {**data, "phone": "139****0000"})
    assert response.status_code == 200 and "phone" in response.context["form"].errors
    household.refresh_from_db()
    assert household.phone == "13800001111"


def test_a_deputys_edit_form_shows_the_phone_masked_and_in_full_only_on_a_recorded_request(world, db, client):
    client.force_login(world.staff)
    url = reverse("congress:deputy_edit", args=[world.deputy.pk])
    reveals = AuditEvent.objects.filter(action=AuditAction.REVEAL, target=f"congress.deputy:{world.deputy.pk}")
    page = client.get(url).content.decode()
    assert DEPUTY_PHONE not in page and f'href="{url}?show=phone"' in page
    assert not reveals.exists()
    assert f'value="{DEPUTY_PHONE}"' in client.get(url, {"show": "phone"}).content.decode()
    assert reveals.count() == 1


def test_the_log_of_a_run_of_requests_holds_no_full_number(world, db, client, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    household = Household.objects.get(phone=HOUSEHOLD_PHONE)
    client.post(reverse("login"), {"username": world.deputy_user.username, "password": "wrong"})
    client.post(reverse("login"), {"username": world.deputy_user.username, "password": PASSWORD})
    client.post(reverse("congress:deputy_reveal_phone", args=[world.deputy.pk]))
    client.force_login(world.staff)
    client.get(reverse("visits:household_export"), {"full": "1"})
    client.post(reverse("visits:household_reveal_phone", args=[household.pk]))
    client.get(reverse("visits:household_edit", args=[household.pk]))
    client.post(reverse("visits:household_edit", args=[household.pk]), {"phone": HOUSEHOLD_PHONE, "size": "0"})
    client.get(reverse("congress:audit"))
    LoggingSmsSender().send(DEPUTY_PHONE, Message(title="提醒", body="本月走访尚未完成"))
    out, err = capsys.readouterr()
    logged = caplog.text + out + err
    assert "137****1111" in logged, "the run logged nothing to scan"
    assert [n for n in MAY_SEE if n in logged] == []

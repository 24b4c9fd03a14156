"""Phone numbers: checked and written one way in every form, service and import (congress.phones)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from congress.models import User
from congress.phones import normalise_phone
from visits.models import Household

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("010-69612345", "010-69612345"),
        ("01069612345", "010-69612345"),
        ("(010)69612345", "010-69612345"),
        ("０１０－６９６１２３４５", "010-69612345"),
        ("0571-8888-6666", "0571-88886666"),
        ("010-69612345转8001", "010-69612345-8001"),
        ("0571-88886666-123", "0571-88886666-123"),
        ("", ""),
    ],
)
def test_a_number_is_written_one_way(written, kept):
    assert normalise_phone(written) == kept


@pytest.mark.parametrize(
    "written", ["12345678901", "6961234", "138123456789", "abc", "١٣٨١٢٣٤٥٦٧٨", "13812345678" * 9000]
)
def test_what_is_no_phone_number_is_refused(written):
    with pytest.raises(ValidationError):
        normalise_phone(written)


def test_the_household_form_writes_the_number_one_way_and_refuses_a_wrong_one(client, cast):
    client.force_login(cast.staff)
    data = {"village": cast.village.pk, "address": "北街5号", "head_name": "张晓明", "size": 3, "status": "resident"}

    refused = client.post(reverse("visits:household_create"), {**data, "phone": "6961234"})
    saved = client.post(reverse("visits:household_create"), {**data, "phone": "+86 138 1234 5678"})

    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["phone"]
    assert "区号" in " ".join(refused.context["form"].errors["phone"])
    assert saved.status_code == 302
    assert Household.objects.get().phone == "13812345678"


def test_the_register_import_names_a_wrong_number_by_row_and_column(client, cast):
    from tests.visits.test_register import xlsx

    client.force_login(cast.staff)
    upload = xlsx([["北房村", "北街1号", "张晓明", "6961234", 3, "", "", ""]])

    response = client.post(reverse("visits:household_import"), {"file": upload})

    assert [(p.row, p.column) for p in response.context["report"].problems] == [(3, "联系电话")]
    assert not Household.objects.exists()


def test_check_stored_data_rewrites_what_it_can_and_lists_the_rest(cast):
    User.objects.filter(pk=cast.staff.pk).update(phone="010 6961 2345")
    User.objects.filter(pk=cast.chairman.pk).update(phone="6961234")

    listing = StringIO()
    call_command("check_stored_data", stdout=listing)
    assert "'010 6961 2345' → '010-69612345'" in listing.getvalue()
    assert "'6961234': no phone number" in listing.getvalue()

    call_command("check_stored_data", "--fix", stdout=StringIO())

    assert User.objects.get(pk=cast.staff.pk).phone == "010-69612345"
    assert User.objects.get(pk=cast.chairman.pk).phone == "6961234"  # never guessed

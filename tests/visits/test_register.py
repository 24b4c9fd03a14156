import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.visits import factories
from tests.visits.conftest import count_queries
from visits.models import Household, HouseholdExport

pytestmark = pytest.mark.django_db

HEADINGS = ["村/社区", "地址", "户主姓名", "联系电话", "家庭人口", "状态", "孤寡老人", "行动不便"]


def xlsx(rows, title=True):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["北房镇住户名册"])
    ws.append(HEADINGS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("households.xlsx", buffer.getvalue())


def test_register_lists_in_pinyin_order_with_masked_phones_for_the_chairman(client, cast):
    for name in ["张三", "安平", "北辰"]:
        factories.HouseholdFactory(town=cast.town, village=cast.village, head_name=name, phone="13812345678")
    client.force_login(cast.chairman)
    page = client.get(reverse("visits:household_list")).context["page"]
    assert [h.head_name for h in page] == ["安平", "北辰", "张三"]
    assert {h.shown_phone for h in page} == {"138****5678"}


def test_register_masks_phones_for_staff_too(client, cast, household):
    """A list shows every number masked; a full one is a recorded reveal on the household's page."""
    client.force_login(cast.staff)
    page = client.get(reverse("visits:household_list")).context["page"]
    assert [h.shown_phone for h in page] == ["138****5678"]


def test_register_search_by_pinyin_initials(client, cast, household):
    factories.HouseholdFactory(town=cast.town, village=cast.village, head_name="李桂兰")
    client.force_login(cast.staff)
    page = client.get(reverse("visits:household_list"), {"q": "zxm"}).context["page"]
    assert [h.pk for h in page] == [household.pk]


def test_register_filters_vulnerable_households(client, cast, household):
    alone = factories.HouseholdFactory(town=cast.town, village=cast.village, lives_alone_elderly=True)
    client.force_login(cast.staff)
    page = client.get(reverse("visits:household_list"), {"vulnerable": "1"}).context["page"]
    assert [h.pk for h in page] == [alone.pk]


@pytest.mark.parametrize("persona", ["staff", "deputy_user", "cadre"])
def test_register_queries_do_not_grow_with_rows(client, cast, persona):
    client.force_login(getattr(cast, persona))
    factories.HouseholdFactory.create_batch(5, town=cast.town, village=cast.village)
    few = count_queries(client, reverse("visits:household_list"))
    factories.HouseholdFactory.create_batch(45, town=cast.town, village=cast.village)
    assert count_queries(client, reverse("visits:household_list")) == few


def test_staff_add_a_household_with_its_pinyin_initials(client, cast):
    client.force_login(cast.staff)
    data = {
        "village": cast.village.pk,
        "address": "南街8号",
        "head_name": "曹文静",
        "phone": "",
        "size": 2,
        "status": "resident",
    }
    response = client.post(reverse("visits:household_create"), data)
    household = Household.objects.get()
    assert response.status_code == 302
    assert (household.town, household.head_initials) == (cast.town, "cwj")


def test_cadre_cannot_add_a_household_to_another_village(client, cast):
    client.force_login(cast.cadre)
    data = {"village": cast.other_village.pk, "address": "1号", "head_name": "王五", "size": 1, "status": "resident"}
    response = client.post(reverse("visits:household_create"), data)
    assert "village" in response.context["form"].errors
    assert not Household.objects.exists()


def test_import_adds_every_row_with_initials(client, cast):
    client.force_login(cast.staff)
    upload = xlsx(
        [
            ["北房村", "北街1号", "张晓明", 13812345678, 3, "在住", "是", ""],
            ["宰相庄村", "东街2号", "李桂兰", "", 1, "", "", "是"],
        ]
    )
    response = client.post(reverse("visits:household_import"), {"file": upload})
    assert response.status_code == 302
    rows = Household.objects.order_by("head_initials").values_list(
        "village__name", "head_initials", "phone", "lives_alone_elderly", "limited_mobility"
    )
    assert list(rows) == [("宰相庄村", "lgl", "", False, True), ("北房村", "zxm", "13812345678", True, False)]


def test_import_with_one_bad_row_saves_nothing_and_reports_row_and_column(client, cast):
    client.force_login(cast.staff)
    upload = xlsx(
        [
            ["北房村", "北街1号", "张晓明", "", 3, "", "", ""],
            ["北房村", "北街2号", "王五", "", "三", "", "", ""],
            ["溪翁庄村", "北街3号", "赵六", "", 1, "", "", ""],
        ]
    )
    response = client.post(reverse("visits:household_import"), {"file": upload})
    problems = [(p.row, p.column) for p in response.context["report"].problems]
    assert problems == [(4, "家庭人口"), (5, "村/社区")]
    assert not Household.objects.exists()


def test_import_reports_duplicate_rows(client, cast):
    client.force_login(cast.staff)
    upload = xlsx([["北房村", "北街1号", "张晓明"], ["北房村", "北街1号", "张晓明"]], title=False)
    response = client.post(reverse("visits:household_import"), {"file": upload})
    assert [(p.row, p.column) for p in response.context["report"].problems] == [(3, "户主姓名")]
    assert not Household.objects.exists()


def test_import_updates_a_registered_household(client, cast, household):
    client.force_login(cast.staff)
    upload = xlsx([["北房村", household.address, household.head_name, 13900000000, 5, "迁出", "", ""]])
    client.post(reverse("visits:household_import"), {"file": upload})
    household.refresh_from_db()
    assert (household.phone, household.size, household.status) == ("13900000000", 5, "moved_out")
    assert Household.objects.count() == 1


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("households.xlsx", b"not a workbook"),  # malformed
        SimpleUploadedFile("households.xlsx", b"PK\x03\x04" + b"\x00" * 64),  # a broken zip archive
        SimpleUploadedFile("households.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),  # wrong type
        SimpleUploadedFile("households.csv", b"\xe6\x9d\x91,\xe5\x9c\xb0\xe5\x9d\x80\n"),  # wrong type
    ],
    ids=["malformed", "broken-zip", "png", "csv"],
)
def test_import_refuses_a_file_that_is_not_excel_on_the_field(client, cast, upload):
    client.force_login(cast.staff)
    response = client.post(reverse("visits:household_import"), {"file": upload})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert not Household.objects.exists()


def test_import_refuses_an_oversized_file_before_reading_it(client, cast, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(cast.staff)
    upload = xlsx([["北房村", f"{n}号", f"户主{n}"] for n in range(200)])
    assert upload.size > 1024
    response = client.post(reverse("visits:household_import"), {"file": upload})
    assert list(response.context["form"].errors) == ["file"]
    assert not Household.objects.exists()


def test_import_refuses_formulas_by_row_and_column_and_saves_nothing(client, cast):
    client.force_login(cast.staff)
    upload = xlsx(
        [
            ["北房村", "东街1号", "王大山", "13800001111"],
            ["北房村", '=HYPERLINK("http://evil.example","东街2号")', "=A1", "=1+1"],
        ]
    )
    response = client.post(reverse("visits:household_import"), {"file": upload})
    problems = response.context["report"].problems
    assert {(p.row, p.column) for p in problems} == {(4, "地址"), (4, "户主姓名"), (4, "联系电话")}
    assert not Household.objects.exists()


def test_import_is_for_staff_only(client, cast):
    client.force_login(cast.cadre)
    assert client.get(reverse("visits:household_import")).status_code == 403


def test_export_masks_phones_by_default_and_is_recorded(client, cast, household):
    client.force_login(cast.staff)
    response = client.get(reverse("visits:household_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "北房镇" in rows[0][0]
    assert rows[2][4] == "138****5678"
    assert rows[-1][5] == household.size
    export = HouseholdExport.objects.get()
    assert (export.exported_by, export.full_phones, export.rows) == (cast.staff, False, 1)


def test_full_export_is_for_staff_and_recorded(client, cast, household):
    client.force_login(cast.staff)
    response = client.get(reverse("visits:household_export"), {"full": "1"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][4] == "13812345678"
    assert HouseholdExport.objects.get().full_phones


def test_full_export_is_refused_to_the_cadre(client, cast, household):
    client.force_login(cast.cadre)
    assert client.get(reverse("visits:household_export"), {"full": "1"}).status_code == 403
    assert not HouseholdExport.objects.exists()


@pytest.mark.parametrize("size", ["0", "51"])
def test_a_household_size_out_of_bounds_is_refused_on_its_field(client, cast, size):
    client.force_login(cast.staff)
    data = {"village": cast.village.pk, "address": "西街5号", "head_name": "周建国", "size": size, "status": "resident"}
    response = client.post(reverse("visits:household_create"), data)
    assert list(response.context["form"].errors) == ["size"]
    assert not Household.objects.exists()


def test_a_district_export_is_recorded_in_each_town_it_holds(client, cast, household):
    from tests import factories as core

    third = core.TownFactory(district=cast.town.district, name="宝山镇", slug="baoshan")
    other = factories.HouseholdFactory(town=third, village=core.VillageFactory(town=third, name="宝山村"))
    client.force_login(cast.district_user)

    response = client.get(reverse("visits:household_export"))

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[3] for row in rows[2:-1]} == {household.head_name, other.head_name}
    exports = HouseholdExport.objects.order_by("town__name").values_list("town", "exported_by", "rows")
    assert sorted(exports) == sorted([(cast.town.pk, cast.district_user.pk, 1), (third.pk, cast.district_user.pk, 1)])

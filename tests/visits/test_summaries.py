import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.visits import factories
from tests.visits.conftest import count_queries
from visits.models import Opinion, SummaryItem, TriageStep
from visits.services import merge_opinions, settle_summary_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinions(cast, household):
    visit = factories.VisitFactory(town=cast.town, household=household, village=cast.village, deputies=[cast.deputy])
    return [factories.OpinionFactory(visit=visit, text=t) for t in ("路灯不亮", "村口没路灯")]


def test_staff_merge_opinions_into_a_new_summary_item_with_a_reason(client, cast, opinions):
    client.force_login(cast.staff)
    data = {"opinions": [o.pk for o in opinions], "merge-title": "村口路灯", "merge-reason": "同一诉求"}
    response = client.post(reverse("visits:opinion_merge"), data)
    item = SummaryItem.objects.get()
    assert response.status_code == 302
    assert (item.town, item.title, item.category) == (cast.town, "村口路灯", opinions[0].category)
    assert set(item.opinions.values_list("status", "reason")) == {("merged", "同一诉求")}
    assert TriageStep.objects.filter(summary_item=item, status="merged").count() == 2


def test_merging_without_a_reason_changes_nothing(client, cast, opinions):
    client.force_login(cast.staff)
    client.post(reverse("visits:opinion_merge"), {"opinions": [o.pk for o in opinions], "merge-title": "村口路灯"})
    assert not SummaryItem.objects.exists()
    assert set(Opinion.objects.values_list("status", flat=True)) == {"new"}


@pytest.mark.parametrize("chosen", ["²", "\x00", "1e309", "-1", "99999999999999999999"])
def test_a_chosen_opinion_that_is_no_number_is_refused_with_a_message(client, cast, opinions, chosen):
    client.force_login(cast.staff)
    data = {"opinions": [opinions[0].pk, chosen], "merge-title": "村口路灯", "merge-reason": "同一诉求"}
    response = client.post(reverse("visits:opinion_merge"), data, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and re.search(r"[\u4e00-\u9fff]", shown[0]), shown  # one message, in Chinese
    assert not SummaryItem.objects.exists()
    assert set(Opinion.objects.values_list("status", flat=True)) == {"new"}


def test_merging_into_an_existing_open_item(cast, opinions):
    item = factories.SummaryItemFactory(town=cast.town, category=opinions[0].category)
    merge_opinions(by=cast.staff, opinions=opinions[:1], reason="同类", item=item)
    assert list(item.opinions.all()) == opinions[:1]


def test_an_opinion_is_merged_only_once(cast, opinions):
    merge_opinions(by=cast.staff, opinions=opinions[:1], reason="同类", title="路灯")
    with pytest.raises(ValidationError):
        merge_opinions(by=cast.staff, opinions=opinions[:1], reason="再次", title="路灯二")
    assert SummaryItem.objects.count() == 1


def test_another_towns_staff_cannot_merge_these_opinions(client, cast, opinions):
    client.force_login(cast.outsider_staff)
    client.post(
        reverse("visits:opinion_merge"),
        {"opinions": [o.pk for o in opinions], "merge-title": "x", "merge-reason": "y"},
    )
    assert not SummaryItem.objects.exists()
    assert set(Opinion.objects.values_list("status", flat=True)) == {"new"}


def test_settling_an_item_as_candidate_carries_its_opinions(client, cast, opinions):
    item = merge_opinions(by=cast.staff, opinions=opinions, reason="同类", title="村口路灯")
    client.force_login(cast.staff)
    client.post(reverse("visits:summary_settle", args=[item.pk]), {"status": "candidate", "reason": "列入候选项目"})
    item.refresh_from_db()
    assert (item.status, item.reason) == ("candidate", "列入候选项目")
    assert set(item.opinions.values_list("status", flat=True)) == {"candidate"}


def test_referring_an_item_needs_a_department(cast, opinions):
    item = merge_opinions(by=cast.staff, opinions=opinions, reason="同类", title="村口路灯")
    with pytest.raises(ValidationError) as info:
        settle_summary_item(by=cast.staff, item=item, status="referred", reason="职责")
    assert "department" in info.value.message_dict
    settle_summary_item(by=cast.staff, item=item, status="referred", reason="职责", department=cast.department)
    assert set(item.opinions.values_list("status", flat=True)) == {"referred"}


def test_the_referred_department_sees_the_item(client, cast, opinions):
    item = merge_opinions(by=cast.staff, opinions=opinions, reason="同类", title="村口路灯")
    client.force_login(cast.department_user)
    assert client.get(reverse("visits:summary_detail", args=[item.pk])).status_code == 404
    settle_summary_item(by=cast.staff, item=item, status="referred", reason="职责", department=cast.department)
    response = client.get(reverse("visits:summary_detail", args=[item.pk]))
    assert [o.visit.household_id for o in response.context["opinions"]] == [opinions[0].visit.household_id] * 2


def test_opinions_can_be_closed_directly_with_a_reason(client, cast, opinions):
    client.force_login(cast.staff)
    client.post(
        reverse("visits:opinion_settle"),
        {"opinions": [opinions[0].pk], "settle-status": "answered", "settle-reason": "已当场解释"},
    )
    assert Opinion.objects.get(pk=opinions[0].pk).status == "answered"
    assert Opinion.objects.get(pk=opinions[1].pk).status == "new"


def test_triage_is_for_staff(client, cast):
    client.force_login(cast.chairman)
    assert client.get(reverse("visits:opinion_triage")).status_code == 403


def test_triage_list_queries_do_not_grow_with_rows(client, cast):
    client.force_login(cast.staff)

    def add(n):
        for i in range(n):
            visit = factories.VisitFactory(
                town=cast.town, visited_on=dt.date(2026, 1, 1) + dt.timedelta(days=i), deputies=[cast.deputy]
            )
            factories.OpinionFactory(visit=visit)

    add(5)
    few = count_queries(client, reverse("visits:opinion_triage"))
    add(45)
    assert count_queries(client, reverse("visits:opinion_triage")) == few


def test_summary_list_queries_do_not_grow_with_rows(client, cast):
    client.force_login(cast.staff)
    factories.SummaryItemFactory.create_batch(5, town=cast.town)
    few = count_queries(client, reverse("visits:summary_list"))
    factories.SummaryItemFactory.create_batch(45, town=cast.town)
    assert count_queries(client, reverse("visits:summary_list")) == few

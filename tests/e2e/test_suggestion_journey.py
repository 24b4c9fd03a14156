"""Journey 2: a deputy's suggestion (代表建议) from 我的履职 to an answer rated 不满意, through the pages of
the three people who handle it, each in their own browser, in Chinese throughout."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from congress.models import Department, Deputy
from suggestions.models import Suggestion
from tests.e2e.browser import login, path_of

pytestmark = pytest.mark.usefixtures("demo_district")

CJK = re.compile(r"[\u4e00-\u9fff]")
STATE = "main .badge.fs-6"


def chinese(label) -> str:
    """A choice's label as the portal's Chinese pages show it."""
    with translation.override("zh-hans"):
        return str(label)


def step(page, name: str):
    """The form of one handling step on the suggestion page (accept, assign, answer, rate ...)."""
    return page.locator(f"main form[action$='/{name}/']")


def test_deputy_suggestion_is_answered_rated_unsatisfied_and_handled_again(new_page):
    deputy = Deputy.objects.get(user__username="bf_deputy1")
    colleague = Deputy.objects.filter(town=deputy.town, user__isnull=True).exclude(pk=deputy.pk).first()
    department = Department.objects.get(town=deputy.town, users__username="bf_agri")

    # The deputy, on the office computer, signs in and starts from 我的履职.
    page = new_page()
    login(page, "bf_deputy1")
    page.locator(f"main a[href='{reverse('visits:my_duty')}']").first.click()  # its tile on the home page
    assert CJK.search(page.locator("main h1").inner_text())
    page.locator("#new-suggestion").click()
    page.locator("#id_title").fill("建议在北房村口增设公交站雨棚")
    page.locator("#id_category").select_option(index=1)
    page.locator("#id_content").fill("村口公交站没有雨棚，老人雨天候车不便。")
    page.locator("#id_proposed_solution").fill("由镇交通部门协调增设雨棚。")
    page.locator("#div_id_joint_proposers label", has_text=colleague.name).click()
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "站台现状.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}]
    )
    page.locator("main form button[name=submit]").click()
    page.wait_for_url(re.compile(r"/suggestions/\d+/$"))
    suggestion = Suggestion.objects.get(title="建议在北房村口增设公交站雨棚")
    assert path_of(page.url) == suggestion.get_absolute_url()
    assert page.locator(STATE).inner_text() == chinese(Suggestion.State.SUBMITTED.label)
    assert colleague.name in page.locator("main dl").inner_text()
    assert page.locator("main dl a", has_text="站台现状.pdf").get_attribute("href") == (
        suggestion.attachments.get().get_absolute_url()
    )

    # The congress office accepts it and assigns it to the agriculture office.
    staff = new_page(signed_in_as="bf_staff")
    staff.goto(suggestion.get_absolute_url())
    step(staff, "accept").locator("[type=submit]").click()
    step(staff, "assign").locator("select[name$=lead_department]").select_option(label=department.name)
    step(staff, "assign").locator("[type=submit]").click()
    assert staff.locator(STATE).inner_text() == chinese(Suggestion.State.ASSIGNED.label)

    # The department finds it in its list and answers.
    office = new_page(signed_in_as="bf_agri")
    office.goto(reverse("suggestions:list"))
    office.locator("main a", has_text="建议在北房村口增设公交站雨棚").click()
    answer = step(office, "answer")
    answer.locator("textarea[name$=text]").fill("已列入明年村内公共设施计划，先设临时雨棚。")
    answer.locator("select[name$=result_class]").select_option("B")
    answer.locator("[type=submit]").click()
    assert office.locator(STATE).inner_text() == chinese(Suggestion.State.ANSWERED.label)

    # The deputy reads the answer, is not satisfied, and the suggestion goes back to the department.
    page.reload()
    assert "已列入明年村内公共设施计划" in page.locator("main").inner_text()
    rate = step(page, "rate")
    rate.get_by_label(chinese(Suggestion.Rating.UNSATISFIED.label), exact=True).check()
    rate.locator("[type=submit]").click()

    assert page.locator(STATE).inner_text() == chinese(Suggestion.State.REDO.label)
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REDO
    office.reload()
    assert step(office, "answer").is_visible(), "the department is asked to answer again"

"""Journey 1: a village cadre records a household visit on a phone in the village, and the same form
completed with the keyboard alone. The household, found by its pinyin initials, is made for the test;
the deputies and logins are the demo district's."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import Deputy, Village
from tests.e2e.browser import login, path_of
from tests.visits.factories import HouseholdFactory
from visits.models import Visit
from visits.quota import quota

pytestmark = pytest.mark.usefixtures("demo_district")

NEAR = "[data-deputy-near] .deputy-option"
OTHERS = "[data-deputy-others] .deputy-option"


@pytest.fixture
def household():
    """张晓明's household in 北房村 (zxm), among households whose initials share a first letter."""
    village = Village.objects.get(town__slug="beifang", name="北房村")
    HouseholdFactory(town=village.town, village=village, head_name="张秀兰", address="南街3号")
    HouseholdFactory(town=village.town, village=village, head_name="赵小梅", address="南街4号")
    return HouseholdFactory(town=village.town, village=village, head_name="张晓明", address="北街5号")


def deputy_of(label) -> Deputy:
    return Deputy.objects.get(pk=label.locator("input").get_attribute("value"))


def counted(deputies: list[Deputy]) -> dict[int, tuple[int, int]]:
    """Each deputy's visits and households of the year, by THE quota function."""
    year = timezone.localdate().year
    return {pk: (figures.visits, figures.households) for pk, figures in quota(deputies, year).items()}


def test_cadre_records_a_visit_with_two_deputies_and_two_opinions_on_a_phone(phone_page, household):
    page = phone_page
    login(page, "bf_cadre")
    page.locator(f"main a[href='{reverse('visits:visit_create')}']").first.tap()
    page.wait_for_url(lambda url: path_of(url) == reverse("visits:visit_create"))

    # The six deputies elected in 北房村 are at hand; the town's other fifty wait behind a button.
    near = page.locator(NEAR)
    assert near.count() == 6
    assert not page.locator(OTHERS).first.is_visible()
    first, second = near.nth(0), near.nth(1)
    deputies = [deputy_of(first), deputy_of(second)]
    before = counted(deputies)
    first.tap()
    second.tap()

    page.locator("#household-search").fill("zxm")
    page.locator("#household-results label", has_text="张晓明").tap()
    page.locator("#id_opinions-0-category").select_option(label="交通出行")
    page.locator("#id_opinions-0-text").fill("希望村口公交站加个雨棚")
    page.locator("#add-opinion").tap()
    page.locator("#id_opinions-1-category").select_option(label="养老服务")
    page.locator("#id_opinions-1-text").fill("老年餐桌能否送餐上门")
    page.locator("main form button[type=submit]").tap()

    page.wait_for_url(lambda url: path_of(url) != reverse("visits:visit_create"))
    visit = Visit.objects.get(household=household)
    assert path_of(page.url) == visit.get_absolute_url()
    assert sorted(visit.deputies.values_list("pk", flat=True)) == sorted(d.pk for d in deputies)
    assert sorted(visit.opinions.values_list("text", flat=True)) == ["希望村口公交站加个雨棚", "老年餐桌能否送餐上门"]
    after = {pk: (visits + 1, households + 1) for pk, (visits, households) in before.items()}
    assert counted(deputies) == after, "each deputy is credited one visit to one more household"

    page.goto(reverse("visits:ledger"))
    first_row = page.locator("main table tbody tr").first
    assert "张晓明" in first_row.inner_text()
    assert all(deputy.name in first_row.inner_text() for deputy in deputies)


def test_visit_form_is_completed_with_the_keyboard_alone(desktop_page, household):
    page = desktop_page
    login(page, "bf_cadre")
    page.goto(reverse("visits:visit_create"))

    tab_to(page, f"{NEAR} input")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    tab_to(page, "#household-search")
    page.keyboard.type("zxm")
    page.locator("#household-results label", has_text="张晓明").wait_for()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    tab_to(page, "#id_opinions-0-category")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("路灯坏了三盏")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url(lambda url: path_of(url) != reverse("visits:visit_create"))
    visit = Visit.objects.get(household=household)
    assert visit.deputies.count() == 2
    assert list(visit.opinions.values_list("text", flat=True)) == ["路灯坏了三盏"]


def test_staff_choosing_a_village_brings_its_deputies_forward_and_finds_others_by_initials(new_page):
    page = new_page(signed_in_as="bf_staff", is_mobile=True, has_touch=True, viewport={"width": 360, "height": 740})
    page.goto(reverse("visits:visit_create"))
    assert page.locator(NEAR).count() == 0

    page.locator("#id_village").select_option(label="北房村")
    assert page.locator(NEAR).count() == 6

    far = Deputy.objects.filter(town__slug="beifang").exclude(constituency__villages__name="北房村").first()
    page.locator("[data-deputy-picker] summary").tap()
    page.locator("#deputy-filter").fill(initials_of(far.name))
    visible = page.locator(f"{OTHERS}:visible")
    assert far.name in visible.all_inner_texts()
    assert visible.count() < 5
    page.locator(OTHERS, has_text=far.name).tap()
    page.locator("#id_village").select_option(index=2)
    assert far.name in page.locator(NEAR).all_inner_texts(), "a ticked deputy stays at hand"


def initials_of(name: str) -> str:
    from visits.pinyin import initials

    return initials(name)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focus is on the element matching `selector` (the first one Tab reaches)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")

"""The problem-solving records in the browser: the demo's problem page and the meeting form are usable
on a desktop and a phone (no serious axe-core violation, every field labelled, nothing scrolling
sideways at 200 % zoom), and a decision marked done there makes the problem solved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supervision.models import ProjectProblem
from tests.e2e.browser import DESKTOP, usability_problems

pytestmark = pytest.mark.usefixtures("demo_district_with_projects")


def open_problem() -> ProjectProblem:
    """This year's problem of 北房镇, which still has a decision to do."""
    return next(p for p in ProjectProblem.objects.with_solved().filter(project__town__slug="beifang") if not p.solved)


def test_the_problem_page_and_the_meeting_form_are_usable(new_page):
    problem = open_problem()
    page = new_page(signed_in_as="bf_staff", bypass_csp=True, **DESKTOP)
    page.goto(reverse("supervision:problem_detail", args=[problem.pk]))
    problems = usability_problems(page)
    page.goto(reverse("supervision:meeting_create", args=[problem.pk]))
    problems += usability_problems(page, form=True, min_font_px=None)
    assert not problems, "\n".join(problems)


def test_marking_the_last_decision_done_solves_the_problem(new_page):
    problem = open_problem()
    page = new_page(signed_in_as="bf_staff", **DESKTOP)
    page.goto(reverse("supervision:problem_detail", args=[problem.pk]))
    assert page.locator("#problem-state").inner_text().strip() == "正在解决"
    form = page.locator("form[action*='/done/']").first
    form.locator("input[name=done_on]").fill("2026-07-01")
    form.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#problem-state").inner_text().strip() == "已解决"
    assert ProjectProblem.objects.with_solved().get(pk=problem.pk).solved

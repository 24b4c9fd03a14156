"""Every "may this user see or do this" decision lives in congress's access module.

The source of every app is walked with `ast`: a comparison of a role value (a `Role.X` member, a
`.role` attribute, `role_of(...)`, or a name called `role`) or an `is_staff`-style helper outside
congress/access.py fails, except where a role is data, each listed below with its reason. Templates
may not compare `user.role` either: they ask the access module through a context helper or tag.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
ACCESS = "congress/access.py"

# file -> why a role is data there, not a decision about what the user may see or do.
ROLE_IS_DATA = {
    "congress/forms/reference.py": "the account form offers the roles a town may create",
    "congress/services/reference.py": "a new account carries the village or department its role needs",
    "congress/reminders.py": "the sweep's directory groups recipients by their role",
}
SKIPPED_APPS = {"demo"}  # the demo's builders create accounts of every role: roles are their data
HELPER = re.compile(r"^_?(is|user_is|may_be)_(staff|chairman|deputy|department|district|village_cadre)")


def _mentions_role(node: ast.AST) -> bool:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Attribute) and (
            inner.attr == "role" or (isinstance(inner.value, ast.Name) and inner.value.id == "Role")
        ):
            return True
        if isinstance(inner, ast.Name) and inner.id == "role":
            return True
        if isinstance(inner, ast.Call):
            func = inner.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "role_of":
                return True
    return False


def role_decisions(source: str) -> list[int]:
    """Lines of `source` that compare a role value or define an is_<role> helper."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Compare) and any(_mentions_role(side) for side in [node.left, *node.comparators])) or (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and HELPER.match(node.name)
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


def app_sources() -> list[Path]:
    paths = []
    for app in settings.PROJECT_APPS:
        if app in SKIPPED_APPS:
            continue
        paths += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return sorted(paths)


def test_role_decisions_live_only_in_the_access_module():
    found = []
    for path in app_sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative == ACCESS or relative in ROLE_IS_DATA:
            continue
        found += [f"{relative}:{line}" for line in role_decisions(path.read_text(encoding="utf-8"))]
    assert found == []


def test_templates_ask_the_access_module_instead_of_comparing_roles():
    compare = re.compile(r"\buser\.role\s*(==|!=|in\b)|\brole\s*==\s*[\"']")
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if compare.search(line)
    ]
    assert found == []


def test_every_allowlisted_file_exists_and_still_needs_its_entry():
    for relative in ROLE_IS_DATA:
        assert role_decisions((ROOT / relative).read_text(encoding="utf-8")), f"{relative} no longer needs its entry"


@pytest.mark.parametrize(
    "source",
    [
        "if user.role == 'deputy': pass",
        "ok = access.role_of(user) in (Role.STAFF, Role.CHAIRMAN)",
        "x = Role.DEPUTY != role",
        "def _is_staff(user): return True",
    ],
)
def test_the_rule_sees_a_role_decision(source):
    assert role_decisions(source) == [1]


@pytest.mark.parametrize("source", ["if access.can(user, 'suggestions.handle'): pass", "n = len(roles) == 2"])
def test_the_rule_leaves_questions_asked_of_the_access_module(source):
    assert role_decisions(source) == []

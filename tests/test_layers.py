"""The rooms of the house keep to their layers (.importlinter, docs/architecture.md).

import-linter sees every import, inside functions too; these tests prove its contracts bite, and add
what it cannot see: the core naming an app above it in a string (a dotted path or a model label).
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
UPPER_APPS = [app for app in settings.PROJECT_APPS if app != "congress"]
# Where the core wires the apps together by name, as Django asks: the settings and the root URLs.
WIRING = {"congress/settings.py", "congress/urls.py"}


def run_lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS, "import-linter is not installed (requirements-dev.txt)"
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_hold_on_the_tree():
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_function_level_import_of_an_upper_app_breaks_the_contracts(tmp_path):
    # A copy of the contracts over a small tree in which the core reaches up from inside a function.
    (tmp_path / ".importlinter").write_text((ROOT / ".importlinter").read_text())
    for app in [*settings.PROJECT_APPS, "scripts", "tests"]:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "duty" / "dashboard.py").write_text("FIGURES = 1\n")
    (tmp_path / "congress" / "views.py").write_text(
        textwrap.dedent(
            """
            def home():
                from duty.dashboard import FIGURES

                return FIGURES
            """
        )
    )

    result = run_lint_imports(tmp_path)

    assert result.returncode != 0
    assert "congress.views -> duty.dashboard" in result.stdout


def names_an_upper_app(text: str) -> bool:
    """Whether a string is a dotted path to a module or object of an upper app, or one's model label."""
    head, dot, rest = text.partition(".")
    if head not in UPPER_APPS or not dot or not rest or not all(part.isidentifier() for part in text.split(".")):
        return False
    if "." not in rest:
        try:
            apps.get_model(head, rest)
            return True
        except LookupError:
            pass
    module = text
    while module:
        try:
            if importlib.util.find_spec(module) is not None:
                return True
        except ModuleNotFoundError:
            pass
        module = module.rpartition(".")[0]
        if module == head:
            return False
    return False


def strings_naming_upper_apps(root: Path, wiring: set[str]) -> list[str]:
    found = []
    for path in sorted((root / "congress").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or relative in wiring:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and names_an_upper_app(node.value):
                found.append(f"{relative}:{node.lineno}: {node.value}")
    return found


def test_the_core_names_no_upper_app_in_a_string():
    assert strings_naming_upper_apps(ROOT, WIRING) == []


@pytest.mark.parametrize("text", ["duty.dashboard", "supervision.tasks.deadline_reminders", "suggestions.Suggestion"])
def test_the_string_rule_sees_paths_and_labels_of_upper_apps(text):
    assert names_an_upper_app(text)


@pytest.mark.parametrize("text", ["suggestions.view", "suggestions:list", "congress.models", "visits", "a.b"])
def test_the_string_rule_leaves_permissions_url_names_and_the_core(text):
    assert not names_an_upper_app(text)

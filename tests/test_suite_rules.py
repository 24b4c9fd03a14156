"""Rules the suite keeps about itself: a test that commits for real says why (emptying the database
after it costs every such test a flush of every table)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
COMMITS = re.compile(r"transaction=True|def \w+\([^)]*\btransactional_db\b")
REASON = "Real commits:"


def places_committing_without_a_reason(root: Path) -> list[str]:
    """Places that ask for real commits with no `Real commits: <why>` comment on the line or the two above."""
    missing = []
    for path in sorted(root.rglob("*.py")):
        if path.resolve() == Path(__file__).resolve():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if COMMITS.search(line) and not any(REASON in above for above in lines[max(0, number - 2) : number + 1]):
                missing.append(f"{path.relative_to(root)}:{number + 1}")
    return missing


def test_every_test_that_commits_says_why():
    assert places_committing_without_a_reason(TESTS) == []


def test_the_rule_sees_a_test_that_commits_without_a_reason(tmp_path):
    (tmp_path / "test_x.py").write_text(
        "@pytest.mark.django_db(transaction=True)\ndef test_a(): ...\n\n"
        "# Real commits: a thread of its own reads the row.\n"
        "@pytest.mark.django_db(transaction=True)\ndef test_b(): ...\n"
        "def test_c(transactional_db): ...\n",
        encoding="utf-8",
    )
    assert places_committing_without_a_reason(tmp_path) == ["test_x.py:1", "test_x.py:7"]

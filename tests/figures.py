"""Figures the run measures, printed at its end by tests/conftest.py: the reliability drills' lines
(docs/reliability.md copies them), the security suites' counts and the browser tests' time.

With parallel workers each worker gathers its own; the controller adds them up when a worker ends."""

from __future__ import annotations

from collections import Counter
from typing import Any

FIGURES: list[str] = []
TALLY: Counter[str] = Counter()
BROWSER: Counter[str] = Counter()  # tests, seconds, seeded (times the demo district was written)
TRIPLES: set[tuple[str, str, str]] = set()  # distinct (URL name, posted field, value digest) of the hostile suite


def report(line: str) -> None:
    """Keep one measured figure for the end of the run (and print it for `pytest -s`)."""
    FIGURES.append(line)
    print(f"\nreliability: {line}")


def gathered() -> dict[str, Any]:
    """This process's figures, in a form a worker can send to the controller."""
    return {
        "reliability": list(FIGURES),
        "tally": dict(TALLY),
        "browser": dict(BROWSER),
        "triples": [list(t) for t in TRIPLES],
    }


def add(figures: dict[str, Any]) -> None:
    """Add a worker's figures to this process's."""
    FIGURES.extend(figures.get("reliability", []))
    TALLY.update(figures.get("tally", {}))
    BROWSER.update(figures.get("browser", {}))
    TRIPLES.update(tuple(t) for t in figures.get("triples", []))

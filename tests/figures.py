"""Figures the reliability drills measure: printed in a "reliability figures" section at the end of
the run (tests/conftest.py), where docs/reliability.md copies them from."""

from __future__ import annotations

FIGURES: list[str] = []


def report(line: str) -> None:
    """Keep one measured figure for the end of the run (and print it for `pytest -s`)."""
    FIGURES.append(line)
    print(f"\nreliability: {line}")

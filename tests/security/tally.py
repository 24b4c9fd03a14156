"""Counts the security suites report at the end of the run (kept with the run's other figures)."""

from __future__ import annotations

from tests.figures import TALLY

__all__ = ["TALLY"]

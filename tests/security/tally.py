"""Counts the security suites report at the end of the run (printed by tests/security/conftest.py)."""

from __future__ import annotations

from collections import Counter

TALLY: Counter[str] = Counter()

"""One mask for every phone number shown or exported (congress.privacy.mask_phone)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congress.privacy import mask_phone


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("13812345678", "138****5678"),
        ("010-69612345", "010****2345"),
        ("01069612345", "010****2345"),
        ("0571-8888-6666", "057****6666"),
        ("69612345", "****2345"),  # 8 digits: today's mask showed 7 of them
        ("6961234", "****1234"),  # 7 digits: today's mask showed all of them
        ("123456", "******"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_the_mask(phone, shown):
    assert mask_phone(phone) == shown


@given(st.text(alphabet="0123456789- ", min_size=0, max_size=20))
def test_no_run_of_five_digits_of_the_number_survives(phone):
    digits = "".join(c for c in phone if c.isdigit())
    shown = mask_phone(phone)
    kept = "".join(c for c in shown if c.isdigit())
    assert len(kept) <= 7
    assert not re.search(r"\d{5}", shown)
    if len(digits) < 11:
        assert len(kept) <= 4

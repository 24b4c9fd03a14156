"""Personal data on pages: numbers are masked everywhere by default (138****5678); whoever may see one in
full asks for it with a reveal (a POST), and each reveal goes into the audit trail.

Who may reveal a deputy's phone: staff and the chairman of the town (they call deputies to sessions and
inspections) and the deputy themselves. Households follow visits.privacy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.http import HttpRequest

from congress import audit
from congress.models import AuditAction

if TYPE_CHECKING:
    from django.db.models import Model


def mask_phone(phone: str) -> str:
    """The one mask for every phone number a page, export or log shows: enough to recognise, not to call.

    A number of 11 digits or more (a mobile, a fixed line with its area code) keeps its first 3 and last
    4 digits (138****5678, 010****2345); a shorter one keeps at most its last 4 (****2345), and one of
    fewer than 7 digits keeps none. Only the digits count: separators and an extension are not shown."""
    digits = "".join(c for c in phone if c.isdigit())
    if not digits:
        return "*" * len(phone.strip())
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 7:
        return f"****{digits[-4:]}"
    return "*" * len(digits)


def record_reveal(request: HttpRequest, record: Model, what: str) -> None:
    """A full number shown on request: who, from where, whose, which field."""
    audit.record(action=AuditAction.REVEAL, request=request, target=record, detail=what)


# The session setting under which the append-only history tables take an UPDATE that leaves each row's
# identity (id, history_id, history_date, history_type) as it was: the erasure of personal data past
# retention (congress migration 0021 teaches the trigger; visits.retention erases).
ERASURE_SETTING = "congress.personal_data_erasure"


@contextmanager
def erasing_history() -> Iterator[None]:
    """History rows may have their personal fields blanked inside the block, nothing else. The block is a
    savepoint: if it fails, rolling it back also puts the setting back."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {ERASURE_SETTING} = 'on'")
        yield
        cursor.execute(f"SET LOCAL {ERASURE_SETTING} = 'off'")

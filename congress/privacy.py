"""Personal data on pages: numbers are masked everywhere by default (138****5678); whoever may see one in
full asks for it with a reveal (a POST), and each reveal goes into the audit trail.

Who may reveal a deputy's phone: staff and the chairman of the town (they call deputies to sessions and
inspections) and the deputy themselves. Households follow visits.privacy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

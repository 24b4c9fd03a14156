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
    """138****5678: enough to recognise a number, not enough to call it."""
    digits = phone.strip()
    if not digits:
        return ""
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def record_reveal(request: HttpRequest, record: Model, what: str) -> None:
    """A full number shown on request: who, from where, whose, which field."""
    audit.record(action=AuditAction.REVEAL, request=request, target=record, detail=what)

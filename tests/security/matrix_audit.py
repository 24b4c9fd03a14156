"""Matrix rows for the audit trail (审计记录) and the reveals of personal data it records."""

from __future__ import annotations

from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, OK, Row, signed_in

# The search page: staff and the chairman of each town (the outsider reads their own town's), superusers.
AUDIT_GET = signed_in(FORBIDDEN, staff=OK, chairman=OK, outsider_staff=OK, superuser=OK)
AUDIT_POST = signed_in(
    FORBIDDEN,
    staff=METHOD_NOT_ALLOWED,
    chairman=METHOD_NOT_ALLOWED,
    outsider_staff=METHOD_NOT_ALLOWED,
    superuser=METHOD_NOT_ALLOWED,
)

ROWS = [
    Row("congress:audit", get=AUDIT_GET, post=AUDIT_POST),
]

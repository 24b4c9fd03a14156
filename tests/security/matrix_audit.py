"""Matrix rows for the audit trail (审计记录) and the reveals of personal data it records."""

from __future__ import annotations

from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, Row, signed_in
from tests.security.matrix_visits import REGISTER_READERS, household

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
    Row("congress:audit_changes", get=AUDIT_GET, post=AUDIT_POST),
]


# Revealing a number is a POST; a GET is refused by method once the role may read the page at all.
ROWS += [
    Row(
        "visits:household_reveal_phone",
        setup=household,
        kwargs=lambda o: {"pk": o.household.pk},
        target=lambda o: o.household,
        get=signed_in(FORBIDDEN, **dict.fromkeys(REGISTER_READERS, METHOD_NOT_ALLOWED)),
        # Staff and the cadre of its village may see it; a deputy only when paired with it.
        post=signed_in(FORBIDDEN, staff=OK, cadre=OK, superuser=OK, outsider_staff=NOT_FOUND),
    ),
    Row(
        "congress:deputy_reveal_phone",
        kwargs=lambda o: {"pk": o.deputy.pk},
        target=lambda o: o.deputy,
        get=signed_in(METHOD_NOT_ALLOWED),
        # Staff, the chairman and the deputy themselves; others who may read the record get 403.
        post=signed_in(
            FORBIDDEN,
            staff=OK,
            chairman=OK,
            deputy_user=OK,
            superuser=OK,
            other_deputy_user=NOT_FOUND,
            department_user=NOT_FOUND,
            outsider_staff=NOT_FOUND,
        ),
    ),
]

"""The portal connects as its own role: not a superuser, owner of its tables. `.ci/run` creates that
role and sets CONGRESS_EXPECT_APP_ROLE, so under CI these checks bind; elsewhere they say what they see."""

from __future__ import annotations

import os

import pytest
from django.db import DatabaseError, connection, transaction

pytestmark = pytest.mark.django_db

EXPECTED_ROLE = os.environ.get("CONGRESS_EXPECT_APP_ROLE", "")


def _one(sql: str, params: list[object] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def _is_superuser() -> bool:
    return bool(_one("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))


@pytest.mark.skipif(not EXPECTED_ROLE, reason="runs where .ci/run names the application role")
def test_the_portal_connects_as_its_own_role_which_is_no_superuser():
    assert _one("SELECT current_user") == EXPECTED_ROLE
    assert _is_superuser() is False


@pytest.mark.skipif(not EXPECTED_ROLE, reason="runs where .ci/run names the application role")
def test_the_application_role_owns_the_audit_tables():
    owners = {
        table: _one("SELECT tableowner FROM pg_tables WHERE tablename = %s", [table])
        for table in ("congress_auditevent", "congress_historicaldeputy", "visits_historicalhousehold")
    }
    assert set(owners.values()) == {EXPECTED_ROLE}


def test_a_role_without_superuser_cannot_switch_the_audit_trigger_off():
    """A superuser could skip triggers (session_replication_role = replica); the application role cannot."""
    if _is_superuser():
        pytest.skip("connected as a superuser: run through .ci/run, which connects as the application role")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")

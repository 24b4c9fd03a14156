"""The optional dashboard read replica: the router sends the dashboards' reads there only when enabled."""

from collections.abc import Iterator

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.db_router import REPLICA, DashboardReplicaRouter, dashboard_reads
from visits.models import Visit

# The fixture adds the replica's alias to DATABASES, which Django warns is unusual (it is, for a test).
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")]

ROUTER = "congress.db_router.DashboardReplicaRouter"


@pytest.fixture
def replica(settings) -> Iterator[str]:
    """A `replica` alias: a second connection to the test database, as a streaming replica would be."""
    config = {**connections["default"].settings_dict}
    connections.settings[REPLICA] = config
    settings.DATABASES = {**settings.DATABASES, REPLICA: config}
    # Connected here: the test case allows only the databases it was set up with to connect lazily. Being
    # another connection, it sees only committed rows, as a replica would.
    connections[REPLICA].connect()
    try:
        yield REPLICA
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_without_a_replica_the_router_leaves_every_read_to_the_primary(settings):
    assert REPLICA not in settings.DATABASES
    with dashboard_reads():
        assert DashboardReplicaRouter().db_for_read(Visit) is None


def test_with_a_replica_only_dashboard_reads_go_there(replica):
    router = DashboardReplicaRouter()

    assert router.db_for_read(Visit) is None
    with dashboard_reads():
        assert router.db_for_read(Visit) == replica
        assert router.db_for_write(Visit) is None
    assert router.db_for_read(Visit) is None
    assert router.allow_migrate(replica, "visits") is False


def test_the_router_is_off_unless_configured(settings):
    assert ROUTER not in getattr(settings, "DATABASE_ROUTERS", [])


# Real commits: the cast is committed, so the replica's connection of its own sees it.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url_name", ["dashboard:town", "home"])
def test_an_enabled_router_serves_the_chairmans_dashboard_from_the_replica(client, cast, settings, replica, url_name):
    settings.DATABASE_ROUTERS = [ROUTER]
    client.force_login(cast.chairman)

    with CaptureQueriesContext(connections[replica]) as on_replica:
        response = client.get(reverse(url_name))

    assert response.status_code == 200
    tables = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "visits_visit" in tables
    assert "django_session" not in tables  # the session and sign-in stay on the primary


def test_other_pages_read_the_primary_even_with_the_router_enabled(client, cast, settings, replica):
    settings.DATABASE_ROUTERS = [ROUTER]
    client.force_login(cast.staff)

    with CaptureQueriesContext(connections[replica]) as on_replica:
        response = client.get(reverse("visits:ledger"))

    assert response.status_code == 200
    assert on_replica.captured_queries == []


def test_a_disabled_router_reads_the_dashboard_from_the_primary(client, cast, replica):
    client.force_login(cast.chairman)

    with CaptureQueriesContext(connections[replica]) as on_replica:
        response = client.get(reverse("dashboard:town"))

    assert response.status_code == 200
    assert on_replica.captured_queries == []

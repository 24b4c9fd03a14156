"""The request's database connection terminated mid-request (`pg_terminate_backend`, sent from a
connection of the test's own; the shared server keeps running): the user gets the 503 page in
Chinese without a traceback, and the visit being saved is stored whole or not at all."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from congress import backups
from tests.figures import report
from tests.visits.test_record_views import visit_post
from visits.models import Opinion, Visit

# Real commits: the request's connection is ended from another one, which must find the visit stored whole
# or not at all.
pytestmark = pytest.mark.django_db(transaction=True)

NOON = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)


def terminate_backend(pid: int) -> None:
    """End a server process the way an administrator (or a failover) would, and wait until it is gone."""
    server, name = backups.default_server()
    conn = server.connect(name)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0]
            for _ in range(100):
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return
                time.sleep(0.05)
    finally:
        conn.close()


class TerminateAfterVisitInsert:
    """Once the visit row is written (its opinions not yet), terminate the connection that wrote it."""

    def __init__(self) -> None:
        self.fired = 0

    def __call__(self, sender, instance, created, **kwargs) -> None:
        if created and not self.fired:
            self.fired += 1
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            terminate_backend(pid)


@pytest.fixture
def terminate_mid_visit():
    hook = TerminateAfterVisitInsert()
    post_save.connect(hook, sender=Visit, weak=False)
    yield hook
    post_save.disconnect(hook, sender=Visit)
    connection.close()  # the terminated connection; the next query opens a new one


@time_machine.travel(NOON, tick=False)
def test_a_terminated_connection_gives_the_503_page_and_no_half_written_visit(
    cast, household, categories, terminate_mid_visit
):
    client = Client(raise_request_exception=False)
    client.force_login(cast.staff)
    started = time.monotonic()
    response = client.post(reverse("visits:visit_create"), visit_post(cast, household, categories))
    seconds = time.monotonic() - started
    connection.close()

    page = response.content.decode()
    assert terminate_mid_visit.fired == 1
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "暂时无法" in page or "无法连接数据库" in page
    assert "Traceback" not in page and "OperationalError" not in page and "psycopg2" not in page
    assert Visit.objects.count() == 0
    assert Opinion.objects.count() == 0
    report(f"connection terminated mid-request: 503 in {seconds:.2f} s, 0 half-written visits or opinions")


@time_machine.travel(NOON, tick=False)
def test_sending_the_form_again_after_the_503_stores_the_visit_once(cast, household, categories, terminate_mid_visit):
    client = Client(raise_request_exception=False)
    client.force_login(cast.staff)
    data = visit_post(cast, household, categories)
    assert client.post(reverse("visits:visit_create"), data).status_code == 503
    connection.close()
    again = client.post(reverse("visits:visit_create"), data)
    assert again.status_code == 302
    assert Visit.objects.count() == 1
    assert Opinion.objects.count() == 2

"""Reminders through the real broker and a real worker, and what a Redis outage does (nothing lost).

The worker runs in a thread of this process on the test Redis database; e-mail goes over SMTP to a
server the test starts. A "broker" that is only a listening socket counts connections, to show that a
request never opens one.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.urls import reverse

from congress.models import Delivery, Notification
from congress.notifications import notify, relay_outbox
from congress.tasks import daily_sweep
from congress.tasks import relay_outbox as relay_task
from suggestions.models import Suggestion
from supervision.models import Circular
from supervision.services import draft_circular
from tests.integration.conftest import broker_at, wait_for
from tests.local_servers import closed_port
from tests.suggestions.factories import suggestion_in_state
from tests.supervision.factories import reviewed_round
from tests.visits.factories import HouseholdFactory, visit_form
from visits.models import OpinionCategory, Visit

pytestmark = pytest.mark.integration


# Real commits: the worker thread reads the notifications on a connection of its own.
@pytest.mark.django_db(transaction=True)
def test_a_worker_relays_an_outbox_row_to_the_smtp_server(cast_with_mail, smtp, celery_worker):
    notify(recipient=cast_with_mail.deputy_user, kind="test", subject="deputy:1", period="2026-11", title="走访提醒")

    relay_task.delay()

    assert wait_for(lambda: len(smtp.messages) == 1)
    recipients, message = smtp.messages[0]
    assert recipients == ["deputy@example.cn"]
    assert "走访提醒" in message["Subject"]
    assert wait_for(lambda: Delivery.objects.filter(sent_at__isnull=False).exists())


# Real commits: the worker thread reads the notifications on a connection of its own.
@pytest.mark.django_db(transaction=True)
def test_the_daily_sweep_in_a_worker_sends_each_reminder_once_even_when_sent_twice(cast_with_mail, smtp, celery_worker):
    suggestion_in_state(
        Suggestion.State.ASSIGNED,
        proposer=cast_with_mail.deputy,
        staff=cast_with_mail.staff,
        department=cast_with_mail.department,
    )
    day = "2026-06-03"  # the day after the answer was due

    daily_sweep.delay(day)
    daily_sweep.delay(day)  # a second beat, or a redelivered message

    # Three e-mails: the submission told staff (relayed by the sweep), the overdue answer department and staff.
    assert wait_for(lambda: len(smtp.messages) >= 3)
    time.sleep(1)  # let the second sweep finish: it must add nothing
    assert Notification.objects.filter(kind="suggestions.answer_overdue").count() == 2
    assert len(smtp.messages) == 3
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 3


@pytest.fixture
def listening_broker() -> Iterator[list[socket.socket]]:
    """A TCP port the broker URL points at, counting every connection made to it. Each is closed at
    once, so a request that did reach for the broker fails quickly instead of waiting for an answer."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection = server.accept()[0]
            except OSError:
                continue
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        with broker_at(f"redis://127.0.0.1:{server.getsockname()[1]}/0"):
            yield accepted
    finally:
        stop.set()
        thread.join(2)
        server.close()


def outbox_of(kind: str) -> list[tuple[str, str]]:
    """The unsent outbox rows of a kind of notification: (recipient's username, channel)."""
    rows = Delivery.objects.filter(notification__kind=kind, sent_at__isnull=True)
    return sorted(rows.values_list("notification__recipient__username", "channel"))


# Real commits: the worker thread reads the notifications on a connection of its own.
@pytest.mark.django_db(transaction=True)
def test_recording_a_visit_submitting_a_suggestion_and_publishing_a_circular_open_no_connection_to_the_broker(
    cast_with_mail, listening_broker, client
):
    """One test for the three requests: a database test that commits costs seconds to clean up."""
    cast = cast_with_mail
    household = HouseholdFactory(town=cast.town, village=cast.village, head_name="王大爷")
    category = OpinionCategory.objects.for_town(cast.town).first()
    circular = draft_circular(round_=reviewed_round(cast), by=cast.staff)

    client.force_login(cast.staff)
    visit = client.post(reverse("visits:visit_create"), visit_form(cast.deputy, household, category, urgent=True))
    client.force_login(cast.deputy_user)
    suggestion = client.post(
        reverse("suggestions:create"),
        {"title": "建议村里安装路灯", "category": "urban", "content": "北房村主街夜间无照明。", "submit": "1"},
    )
    client.force_login(cast.chairman)
    publication = client.post(reverse("supervision:circular_publish", args=[circular.pk]))

    assert [visit.status_code, suggestion.status_code, publication.status_code] == [302, 302, 302]
    assert Visit.objects.count() == 1
    assert Suggestion.objects.get().state == Suggestion.State.SUBMITTED
    assert Circular.objects.get(pk=circular.pk).status == Circular.Status.PUBLISHED
    assert outbox_of("visits.urgent_opinion") == [("staff", "email")]
    assert outbox_of("suggestions.submitted") == [("staff", "email")]
    assert outbox_of("supervision.circular_published") == [("department", "email")]
    time.sleep(0.2)
    assert listening_broker == []


# Real commits: the worker thread reads the notifications on a connection of its own.
@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_loses_nothing_the_next_relay_sends_it(cast_with_mail, smtp):
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        suggestion_in_state(Suggestion.State.SUBMITTED, proposer=cast_with_mail.deputy, staff=cast_with_mail.staff)
        with pytest.raises(Exception):  # noqa: B017 - whatever kombu raises, the broker is down
            relay_task.apply_async(retry=False)

    delivery = Delivery.objects.get(notification__kind="suggestions.submitted")
    assert delivery.sent_at is None

    # Redis is back: the next relay (beat's minute task, or the sweep) sends it, and only once.
    assert relay_outbox() == 1
    assert relay_outbox() == 0
    assert [r for r, _ in smtp.messages] == [["staff@example.cn"]]

"""Deliveries once, through faults: each attempt is recorded before the send and its result after; a
message handed over in full whose answer never came is "unconfirmed", not sent again blindly; every
attempt carries the same Message-ID or idempotency key; the office resolves the unconfirmed ones.

The mail server and the gateway are the local servers of tests/local_servers.py, told to take a
message in full and then drop the connection without answering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import notifications
from congress.models import ChannelPreference, Delivery
from congress.notifications import Resolution, message_id, notify, relay_outbox, resolve_unconfirmed
from tests.local_servers import closed_port

State = Delivery.State


@pytest.fixture
def reader(cast):
    cast.deputy_user.email = "deputy@example.cn"
    cast.deputy_user.phone = "13800001234"
    cast.deputy_user.save(update_fields=["email", "phone"])
    return cast.deputy_user


def _notify(user, period="2026-11"):
    return notify(recipient=user, kind="test.kind", subject="deputy:1", period=period, title="本月走访还差2次")


def test_a_mail_server_that_drops_the_connection_after_the_message_leaves_it_unconfirmed_and_unsent(reader, smtp):
    smtp.drops = 1
    _notify(reader)

    assert relay_outbox() == 0
    delivery = Delivery.objects.get()
    assert delivery.state == State.UNKNOWN
    assert delivery.attempts == 1 and delivery.sent_at is None
    assert len(smtp.messages) == 1  # it did arrive: the server only failed to say so

    # Later relays, even long after, leave it alone.
    Delivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(days=1))
    assert relay_outbox() == 0
    assert len(smtp.messages) == 1
    assert Delivery.objects.get().state == State.UNKNOWN


def test_a_mail_server_that_cannot_be_reached_is_retried_not_unconfirmed(reader, settings, smtp):
    settings.EMAIL_PORT = closed_port()
    _notify(reader)

    assert relay_outbox() == 0

    delivery = Delivery.objects.get()
    assert delivery.state == State.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now()


def test_the_message_id_is_the_delivery_key_on_every_attempt(reader, smtp):
    smtp.drops = 1
    _notify(reader)
    relay_outbox()
    delivery = Delivery.objects.get()
    resolve_unconfirmed(by=reader, delivery=delivery, outcome=Resolution.RESEND)

    assert relay_outbox() == 1

    ids = [message["Message-ID"] for _, message in smtp.messages]
    assert ids == [message_id(str(delivery.key))] * 2
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 2
    assert delivery.provider_reference == ids[0]


def test_an_sms_gateway_that_drops_the_connection_leaves_it_unconfirmed_with_one_key(reader, gateway):
    _, received = gateway
    ChannelPreference.objects.create(user=reader, email=False, sms=True)
    received.drops = 1
    _notify(reader)

    assert relay_outbox() == 0
    delivery = Delivery.objects.get()
    assert delivery.state == State.UNKNOWN

    resolve_unconfirmed(by=reader, delivery=delivery, outcome=Resolution.RESEND)
    assert relay_outbox() == 1

    keys = [body["message_id"] for _, body in received.messages]
    headers = [h.get("Idempotency-Key") for h in received.headers]
    assert keys == headers == [str(delivery.key)] * 2


def test_a_row_left_sending_by_a_dead_worker_becomes_unconfirmed_and_is_not_resent(reader, settings, smtp):
    _notify(reader)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_UNCONFIRMED_AFTER + 1)
    Delivery.objects.update(state=State.SENDING, attempted_at=long_ago, attempts=1)

    assert relay_outbox() == 0

    delivery = Delivery.objects.get()
    assert delivery.state == State.UNKNOWN
    assert delivery.last_error == notifications.ABANDONED
    assert smtp.messages == []


def test_a_late_answer_settles_a_row_already_called_unconfirmed(reader, settings, smtp):
    """A very slow send outlives NOTIFICATIONS_UNCONFIRMED_AFTER: its answer, when it comes, counts."""
    settings.NOTIFICATIONS_UNCONFIRMED_AFTER = 0

    class SlowSender(notifications.EmailSender):
        def send(self, address, message):
            notifications.settle_abandoned(timezone.now() + dt.timedelta(seconds=1))  # another relay, meanwhile
            assert Delivery.objects.get().state == State.UNKNOWN
            return super().send(address, message)

    settings.NOTIFICATIONS_EMAIL_SENDER = f"{__name__}.SlowSender"
    globals()["SlowSender"] = SlowSender
    try:
        _notify(reader)
        assert relay_outbox() == 1
    finally:
        del globals()["SlowSender"]
    assert Delivery.objects.get().state == State.SENT
    assert len(smtp.messages) == 1


def _unconfirmed(user, period="2026-11"):
    note = _notify(user, period)
    Delivery.objects.filter(notification=note).delete()  # the e-mail row: this one is an SMS
    return Delivery.objects.create(
        notification=note,
        channel="sms",
        address="13800001234",
        state=State.UNKNOWN,
        attempts=1,
        attempted_at=timezone.now(),
    )


def test_staff_see_their_towns_unconfirmed_deliveries_and_mark_one_delivered(client, cast, reader):
    delivery = _unconfirmed(reader)
    outsider = cast.other_deputy_user if cast.other_deputy_user.town_id != cast.town.pk else None
    client.force_login(cast.staff)

    page = client.get(reverse("congress:deliveries_unconfirmed"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "本月走访还差2次" in text
    assert "13800001234" not in text  # the phone is masked
    assert outsider is None or outsider.display_name not in text

    answer = client.post(reverse("congress:delivery_resolve", args=[delivery.pk]), {"outcome": "delivered"})

    assert answer.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.sent_at is not None
    assert delivery.resolved_by == cast.staff and delivery.resolved_at is not None
    assert "本月走访还差2次" not in client.get(reverse("congress:deliveries_unconfirmed")).content.decode()


def test_staff_send_one_again_and_the_relay_sends_it(client, cast, reader, smtp):
    _notify(reader)
    Delivery.objects.update(state=State.UNKNOWN, attempts=1, attempted_at=timezone.now())
    delivery = Delivery.objects.get()
    client.force_login(cast.staff)

    client.post(reverse("congress:delivery_resolve", args=[delivery.pk]), {"outcome": "resend"})

    assert Delivery.objects.get().state == State.PENDING
    assert relay_outbox() == 1
    assert len(smtp.messages) == 1


def test_another_towns_staff_cannot_see_or_resolve_a_delivery(client, cast, reader):
    delivery = _unconfirmed(reader)
    client.force_login(cast.outsider_staff)

    assert "本月走访还差2次" not in client.get(reverse("congress:deliveries_unconfirmed")).content.decode()
    answer = client.post(reverse("congress:delivery_resolve", args=[delivery.pk]), {"outcome": "delivered"})

    assert answer.status_code == 404
    assert Delivery.objects.get().state == State.UNKNOWN


def test_a_delivery_resolved_already_is_not_resolved_twice(client, cast, reader):
    delivery = _unconfirmed(reader)
    client.force_login(cast.staff)
    client.post(reverse("congress:delivery_resolve", args=[delivery.pk]), {"outcome": "delivered"})

    again = client.post(reverse("congress:delivery_resolve", args=[delivery.pk]), {"outcome": "resend"})

    assert again.status_code == 200
    assert again.context["form"].non_field_errors()
    assert Delivery.objects.get().state == State.SENT


def test_the_menu_offers_the_page_to_staff_only(client, cast):
    client.force_login(cast.staff)
    assert reverse("congress:deliveries_unconfirmed") in client.get(reverse("home")).content.decode()
    client.force_login(cast.deputy_user)
    assert reverse("congress:deliveries_unconfirmed") not in client.get(reverse("home")).content.decode()


def test_the_staff_home_counts_the_towns_unconfirmed_deliveries(cast, reader):
    from duty import dashboard

    _unconfirmed(reader)

    day = dt.date(2026, 11, 2)
    figures = {str(f.label): f for f in dashboard.staff_panel(cast.staff, cast.town, today=day)}
    outsider = {str(f.label): f for f in dashboard.staff_panel(cast.outsider_staff, cast.other_town, today=day)}

    assert figures["未确认的发送"].value == 1 and figures["未确认的发送"].alert
    assert figures["未确认的发送"].url == reverse("congress:deliveries_unconfirmed")
    assert outsider["未确认的发送"].value == 0


def test_a_message_the_mail_server_refuses_after_reading_it_is_retried(reader, smtp):
    """A refusal is an answer: the message was not taken, so it goes out again later (same Message-ID)."""
    smtp.refusals = 1
    _notify(reader)

    assert relay_outbox() == 0
    delivery = Delivery.objects.get()
    assert delivery.state == State.PENDING and delivery.attempts == 1
    assert "554" in delivery.last_error

    Delivery.objects.update(next_attempt_at=timezone.now())
    assert relay_outbox() == 1
    assert [m["Message-ID"] for _, m in smtp.messages] == [message_id(str(delivery.key))]


def test_a_work_chat_robot_that_drops_the_connection_leaves_it_unconfirmed(reader, gateway):
    base, received = gateway
    ChannelPreference.objects.create(user=reader, email=False, work_chat=True, work_chat_webhook=f"{base}/robot")
    received.drops = 1
    _notify(reader)

    assert relay_outbox() == 0

    delivery = Delivery.objects.get()
    assert delivery.state == State.UNKNOWN
    assert received.headers[0]["Idempotency-Key"] == str(delivery.key)

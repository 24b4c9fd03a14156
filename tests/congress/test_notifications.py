"""Notifications: one inbox row per key, outbox rows per channel, delivery over real SMTP and HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import notifications
from congress.models import ChannelPreference, Delivery, Notification
from congress.notifications import notify, relay_outbox
from tests.local_servers import closed_port


def _notify(user, **kw):
    fields = {
        "kind": "test.kind",
        "subject": "deputy:1",
        "period": "2026-11",
        "title": "本月走访还差2次",
        "body": "正文",
    }
    return notify(recipient=user, **{**fields, **kw})


@pytest.fixture
def reader(cast):
    cast.deputy_user.email = "deputy@example.cn"
    cast.deputy_user.phone = "13800001234"
    cast.deputy_user.save(update_fields=["email", "phone"])
    return cast.deputy_user


def test_the_same_key_makes_one_inbox_row_and_one_outbox_row(reader):
    first = _notify(reader)
    second = _notify(reader, title="again")

    assert first is not None and second is None
    assert Notification.objects.filter(recipient=reader).count() == 1
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]


def test_another_period_is_another_notification(reader):
    _notify(reader, period="2026-11")
    _notify(reader, period="2026-12")

    assert Notification.objects.filter(recipient=reader).count() == 2


def test_a_user_with_every_channel_off_gets_the_inbox_only(reader):
    ChannelPreference.objects.create(user=reader, email=False, sms=False, work_chat=False)

    note = _notify(reader)

    assert note is not None and Notification.objects.filter(pk=note.pk).exists()
    assert not Delivery.objects.exists()


def test_each_switched_on_channel_gets_an_outbox_row(reader):
    ChannelPreference.objects.create(
        user=reader, email=True, sms=True, work_chat=True, work_chat_webhook="https://qyapi.weixin.qq.com/x"
    )

    _notify(reader)

    assert sorted(Delivery.objects.values_list("channel", "address")) == [
        ("email", "deputy@example.cn"),
        ("sms", "13800001234"),
        ("work_chat", "https://qyapi.weixin.qq.com/x"),
    ]


def test_relay_sends_the_email_to_the_smtp_server_once(reader, smtp):
    _notify(reader)

    assert relay_outbox() == 1
    assert relay_outbox() == 0

    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["deputy@example.cn"]
    assert "本月走访还差2次" in message["Subject"]
    assert "正文" in message.get_content()
    assert Delivery.objects.get().sent_at is not None


def test_sms_and_work_chat_post_to_their_http_endpoints(reader, gateway):
    base, received = gateway
    ChannelPreference.objects.create(
        user=reader, email=False, sms=True, work_chat=True, work_chat_webhook=f"{base}/robot?key=abc"
    )
    _notify(reader)

    assert relay_outbox() == 2

    by_path = dict(received.messages)
    assert by_path["/sms"]["phone"] == "13800001234"
    assert "本月走访还差2次" in by_path["/sms"]["text"]
    assert by_path["/robot?key=abc"]["msgtype"] == "text"
    assert "本月走访还差2次" in by_path["/robot?key=abc"]["text"]["content"]


def test_a_robot_that_answers_an_error_code_is_retried(reader, settings):
    from tests.local_servers import http_server

    settings.NOTIFICATIONS_WORK_CHAT_HOSTS = ["127.0.0.1"]
    settings.NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with http_server(answer={"errcode": 310000, "errmsg": "keywords not in content"}) as (base, _):
        ChannelPreference.objects.create(user=reader, email=False, work_chat=True, work_chat_webhook=f"{base}/r")
        _notify(reader)
        relay_outbox()

    delivery = Delivery.objects.get()
    assert delivery.sent_at is None and delivery.attempts == 1
    assert "310000" in delivery.last_error


def test_a_failed_send_is_retried_later_with_backoff_and_then_sent(reader, settings, smtp):
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    _notify(reader)

    assert relay_outbox() == 0
    delivery = Delivery.objects.get()
    assert delivery.sent_at is None and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(minutes=1)
    # Not due yet: the next relay leaves it alone.
    assert relay_outbox() == 0

    settings.EMAIL_PORT = good_port
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert relay_outbox() == 1
    assert len(smtp.messages) == 1


def test_a_delivery_being_sent_by_another_worker_is_not_sent_again(reader, smtp):
    _notify(reader)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, attempted_at=timezone.now())

    assert notifications.deliver(delivery.pk) is False
    assert relay_outbox() == 0
    assert smtp.messages == []
    assert Delivery.objects.get().state == Delivery.State.SENDING


def test_a_sent_delivery_is_never_sent_again(reader, smtp):
    _notify(reader)
    delivery = Delivery.objects.get()
    assert notifications.deliver(delivery.pk) is True

    assert notifications.deliver(delivery.pk) is False
    assert len(smtp.messages) == 1


def test_navbar_shows_the_unread_count(client, reader):
    _notify(reader, period="2026-10")
    _notify(reader, period="2026-11")
    client.force_login(reader)

    response = client.get(reverse("home"))

    assert response.context["unread_notifications"]() == 2
    assert b'id="unread-notifications">2<' in response.content


def test_marking_read_lowers_the_unread_count(client, reader):
    note = _notify(reader)
    client.force_login(reader)

    client.post(reverse("congress:inbox_read", args=[note.pk]))

    note.refresh_from_db()
    assert note.read_at is not None
    assert Notification.objects.filter(recipient=reader).unread().count() == 0


def test_mark_all_read_reads_only_the_users_own(client, reader, cast):
    _notify(reader)
    other = _notify(cast.staff)
    client.force_login(reader)

    client.post(reverse("congress:inbox_read_all"))

    assert Notification.objects.filter(recipient=reader).unread().count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_inbox_lists_only_the_users_own_in_few_queries(client, reader, cast, django_assert_max_num_queries):
    for month in range(1, 13):
        _notify(reader, period=f"2026-{month:02d}")
    _notify(cast.staff, title="别人的提醒")
    client.force_login(reader)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("congress:inbox"))

    assert len(response.context["page"]) == 12
    assert "别人的提醒" not in response.content.decode()


def test_channel_settings_save_the_users_choice(client, reader):
    client.force_login(reader)

    client.post(reverse("congress:inbox_channels"), {"sms": "on"})

    preference = ChannelPreference.objects.get(user=reader)
    assert (preference.email, preference.sms, preference.work_chat) == (False, True, False)


def test_work_chat_needs_a_robot_address(client, reader):
    client.force_login(reader)

    response = client.post(reverse("congress:inbox_channels"), {"work_chat": "on"})

    assert response.status_code == 200
    assert "work_chat_webhook" in response.context["form"].errors
    assert not ChannelPreference.objects.exists()

"""A user's group-robot address is no way into the office's network: only the robot hosts, never an
inward address, never a redirect (congress.outbound)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congress import outbound
from congress.models import ChannelPreference, Delivery
from congress.notifications import notify, relay_outbox
from tests.local_servers import http_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(cast):
    return cast.staff


def _send_to_robot(user, address: str) -> Delivery:
    ChannelPreference.objects.create(user=user, email=False, work_chat=True, work_chat_webhook=address)
    notify(recipient=user, kind="test.robot", subject="robot:1", period="2026-06", title="本月走访还差2次", body="正文")
    relay_outbox()
    return Delivery.objects.get()


@pytest.mark.parametrize(
    "address",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1/robot",
        "https://10.0.0.8/cgi-bin/webhook/send",
        "https://robot.attacker.example/send?key=1",
        "https://qyapi.weixin.qq.com.attacker.example/send",
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
    ],
)
def test_the_channel_form_accepts_only_a_robot_host(client, reader, address):
    client.force_login(reader)

    response = client.post(reverse("congress:inbox_channels"), {"work_chat": "on", "work_chat_webhook": address})

    assert response.status_code == 200
    assert "work_chat_webhook" in response.context["form"].errors
    assert not ChannelPreference.objects.exists()


def test_the_channel_form_keeps_a_wecom_robot_address(client, reader):
    client.force_login(reader)
    address = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"

    response = client.post(reverse("congress:inbox_channels"), {"work_chat": "on", "work_chat_webhook": address})

    assert response.status_code == 302
    assert ChannelPreference.objects.get(user=reader).work_chat_webhook == address


def test_a_robot_host_that_resolves_to_this_machine_gets_nothing(reader, settings):
    settings.NOTIFICATIONS_WORK_CHAT_HOSTS = ["localhost"]  # allowed by name, but it is this machine
    with http_server() as (base, received):
        port = base.rsplit(":", 1)[1]
        delivery = _send_to_robot(reader, f"http://localhost:{port}/robot")

    assert received.messages == []
    assert delivery.sent_at is None
    assert "inward address" in delivery.last_error


def test_a_stored_address_of_another_host_is_refused_at_send_time(reader, settings):
    settings.NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with http_server() as (base, received):
        delivery = _send_to_robot(reader, f"{base}/robot")  # saved before the rule; 127.0.0.1 is no robot host

    assert received.messages == []
    assert delivery.sent_at is None
    assert "not a work-chat robot host" in delivery.last_error


def test_a_redirect_is_not_followed(reader, settings):
    settings.NOTIFICATIONS_WORK_CHAT_HOSTS = ["127.0.0.1"]
    settings.NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with http_server() as (inside, inside_received), http_server(redirect=f"{inside}/admin") as (robot, _):
        delivery = _send_to_robot(reader, f"{robot}/robot")

    assert inside_received.messages == []
    assert delivery.sent_at is None
    assert "redirect" in delivery.last_error


@pytest.mark.parametrize(
    ("address", "inward"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),  # carrier-grade NAT
        ("0.0.0.0", True),  # noqa: S104 - an address to refuse, not one to bind
        ("::1", True),
        ("fe80::1", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),
        ("101.91.22.57", False),  # a public address
        ("2408:8000::1", False),
    ],
)
def test_inward_addresses(address, inward):
    assert outbound.is_inward(address) is inward


def test_an_allowed_network_lets_an_intranet_relay_through(settings):
    settings.NOTIFICATIONS_OUTBOUND_ALLOWED_NETWORKS = ["10.8.0.0/16"]
    assert outbound.is_inward("10.8.3.4") is False
    assert outbound.is_inward("10.9.3.4") is True

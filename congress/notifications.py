"""Delivery of notifications (提醒): the in-app inbox, the outbox, and the channels behind one interface.

`notify` is the only way in. In one transaction it inserts the inbox row under its unique key
(recipient, kind, subject, period) — a second call with the same key inserts nothing and sends
nothing — and an outbox row (Delivery) for each channel the recipient has switched on. It never talks
to the broker, so a web request that notifies someone works while Redis is down.

`relay_outbox` (run by a Celery task every minute and after each sweep) picks unsent rows with
`SELECT ... FOR UPDATE SKIP LOCKED`, and `deliver` claims each with a conditional
`UPDATE ... WHERE sent_at IS NULL` before sending: two relays never send a row twice. A failed
send is retried later with exponential backoff, up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from congress.models import Channel, ChannelPreference, Delivery, Notification, User
from congress.privacy import mask_phone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A claim lasts longer than any send takes; a worker that dies mid-send frees the row when it expires.
CLAIM_LEASE = dt.timedelta(minutes=5)
HTTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Message:
    """What a channel sends: a title and a text in Chinese, with an optional link into the portal."""

    title: str
    body: str
    url: str = ""

    @property
    def text(self) -> str:
        parts = [f"【{settings.PORTAL_NAME}】{self.title}", self.body]
        if self.url:
            parts.append(f"{settings.PORTAL_BASE_URL.rstrip('/')}{self.url}")
        return "\n".join(part for part in parts if part)


class Sender(Protocol):
    """One channel: send `message` to `address` or raise."""

    def send(self, address: str, message: Message) -> None: ...


class EmailSender:
    """E-mail through Django's configured backend (SMTP in production)."""

    def send(self, address: str, message: Message) -> None:
        send_mail(f"【{settings.PORTAL_NAME}】{message.title}", message.text, None, [address], fail_silently=False)


class LoggingSmsSender:
    """SMS for sites without a gateway: the text goes to the log."""

    def send(self, address: str, message: Message) -> None:
        logger.info("SMS to %s: %s", mask_phone(address), message.text)


def _post_json(url: str, payload: dict[str, object]) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an HTTP address: {url!r}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
        return bytes(response.read())


class HttpSmsSender:
    """SMS through a generic HTTP gateway: POST {"phone", "text"} as JSON to NOTIFICATIONS_SMS_GATEWAY_URL."""

    def send(self, address: str, message: Message) -> None:
        _post_json(settings.NOTIFICATIONS_SMS_GATEWAY_URL, {"phone": address, "text": message.text})


class WorkChatSender:
    """A group robot of WeCom (企业微信) or DingTalk (钉钉): both take {"msgtype": "text", ...}.

    DingTalk answers HTTP 200 with a non-zero errcode on failure, so the answer is read too.
    """

    def send(self, address: str, message: Message) -> None:
        answer = _post_json(address, {"msgtype": "text", "text": {"content": message.text}})
        try:
            errcode = json.loads(answer or b"{}").get("errcode", 0)
        except ValueError:
            errcode = 0
        if errcode:
            raise RuntimeError(f"work-chat robot refused the message: {answer[:200]!r}")


def sender_for(channel: str) -> Sender:
    backends = {
        Channel.EMAIL: settings.NOTIFICATIONS_EMAIL_SENDER,
        Channel.SMS: settings.NOTIFICATIONS_SMS_SENDER,
        Channel.WORK_CHAT: settings.NOTIFICATIONS_WORK_CHAT_SENDER,
    }
    sender: Sender = import_string(backends[Channel(channel)])()
    return sender


def channel_addresses(user: User) -> dict[str, str]:
    """The channels a user has switched on, with the address each sends to (inbox aside)."""
    preference = ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)
    wanted = {
        Channel.EMAIL: (preference.email, user.email),
        Channel.SMS: (preference.sms, user.phone),
        Channel.WORK_CHAT: (preference.work_chat, preference.work_chat_webhook),
    }
    return {str(channel): address for channel, (on, address) in wanted.items() if on and address}


@transaction.atomic
def notify(
    *, recipient: User, kind: str, subject: str, period: str, title: str, body: str = "", url: str = ""
) -> Notification | None:
    """Put a notification in the recipient's inbox and the outbox of their channels, once per key.

    Returns None when a notification with the same key exists already (nothing more is sent). A title
    longer than the inbox holds (a long circular's or suggestion's name inside it) is shortened, never refused.
    """
    limit = Notification._meta.get_field("title").max_length or len(title)
    if len(title) > limit:
        title = title[: limit - 1] + "…"
    notification = Notification(
        recipient=recipient, kind=kind, subject=subject, period=period, title=title, body=body, url=url
    )
    notification.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return None
    Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel, address=address)
        for channel, address in channel_addresses(recipient).items()
    )
    return notification


def notify_each(
    recipients: Iterable[User], *, kind: str, subject: str, period: str, title: str, body: str = "", url: str = ""
) -> int:
    """`notify` each recipient of one event (in the caller's transaction); returns how many were new."""
    return sum(
        notify(recipient=user, kind=kind, subject=subject, period=period, title=title, body=body, url=url) is not None
        for user in recipients
    )


def due_deliveries(now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def deliver(delivery_id: int) -> bool:
    """Claim one outbox row and send it; True when this call sent it.

    The conditional UPDATE is the claim: only one caller sees one row updated. A failure releases the
    claim and schedules the next attempt with exponential backoff.
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(due_deliveries(now), pk=delivery_id).update(claimed_until=now + CLAIM_LEASE)
    if not claimed:
        return False
    delivery = Delivery.objects.select_related("notification").get(pk=delivery_id)
    note = delivery.notification
    try:
        sender_for(delivery.channel).send(delivery.address, Message(note.title, note.body, note.url))
    except Exception as error:
        attempts = delivery.attempts + 1
        gave_up = attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id).update(
            attempts=attempts,
            claimed_until=None,
            last_error=str(error)[:1000],
            next_attempt_at=timezone.now() + dt.timedelta(minutes=2**attempts),
            failed_at=timezone.now() if gave_up else None,
        )
        logger.warning("Delivery %s on %s failed (attempt %s): %s", delivery_id, delivery.channel, attempts, error)
        return False
    Delivery.objects.filter(pk=delivery_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=delivery.attempts + 1, claimed_until=None, last_error=""
    )
    return True


def relay_outbox(*, limit: int = 500) -> int:
    """Send every due outbox row; rows another relay holds are skipped, not waited for."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(due_deliveries())
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
    # Another relay may pick the same ids once this lock is gone; the claim in `deliver` settles it.
    sent = 0
    for delivery_id in ids:
        sent += deliver(delivery_id)
    return sent


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> None:
    """Mark one notification of the user's inbox read."""
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user's inbox read."""
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())


@transaction.atomic
def save_channel_preference(*, user: User, preference: ChannelPreference) -> ChannelPreference:
    """Save the channels a user wants besides the inbox."""
    preference.user = user
    preference.full_clean()
    preference.save()
    return preference

"""Delivery of notifications (提醒): the in-app inbox, the outbox, and the channels behind one interface.

`notify_many` is the only way in (`notify` and `notify_each` call it). In one transaction per batch it
inserts the inbox rows under their unique key (recipient, kind, subject, period) — a key inserted
before inserts nothing and sends nothing — and an outbox row (Delivery) for each channel a new row's
recipient has switched on. It never talks
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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from congress import outbound
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


class HttpSmsSender:
    """SMS through a generic HTTP gateway: POST {"phone", "text"} as JSON to NOTIFICATIONS_SMS_GATEWAY_URL."""

    def send(self, address: str, message: Message) -> None:
        outbound.post_json(
            settings.NOTIFICATIONS_SMS_GATEWAY_URL,
            {"phone": address, "text": message.text},
            timeout=HTTP_TIMEOUT_SECONDS,
        )


class WorkChatSender:
    """A group robot of WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书), at a host of
    NOTIFICATIONS_WORK_CHAT_HOSTS only (congress.outbound): each takes {"msgtype": "text", ...}.

    The robots answer HTTP 200 with a non-zero error code on failure, so the answer is read too.
    """

    # Feishu and Lark name the fields differently from WeCom and DingTalk, and answer "code", not "errcode".
    FEISHU_HOSTS = frozenset({"open.feishu.cn", "open.larksuite.com"})

    def send(self, address: str, message: Message) -> None:
        feishu = (urlsplit(address).hostname or "").lower() in self.FEISHU_HOSTS
        payload: dict[str, object] = (
            {"msg_type": "text", "content": {"text": message.text}}
            if feishu
            else {"msgtype": "text", "text": {"content": message.text}}
        )
        answer = outbound.post_json(
            address, payload, timeout=HTTP_TIMEOUT_SECONDS, hosts=settings.NOTIFICATIONS_WORK_CHAT_HOSTS
        )
        try:
            errcode = json.loads(answer or b"{}").get("code" if feishu else "errcode", 0)
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
    return channel_addresses_of([user])[user.pk]


def channel_addresses_of(users: Iterable[User]) -> dict[int, dict[str, str]]:
    """`channel_addresses` of each user by primary key, their preferences read in one query."""
    users = list(users)
    preferences = {p.user_id: p for p in ChannelPreference.objects.filter(user__in=[u.pk for u in users])}
    found: dict[int, dict[str, str]] = {}
    for user in users:
        preference = preferences.get(user.pk) or ChannelPreference(user=user)
        wanted = {
            Channel.EMAIL: (preference.email, user.email),
            Channel.SMS: (preference.sms, user.phone),
            Channel.WORK_CHAT: (preference.work_chat, preference.work_chat_webhook),
        }
        found[user.pk] = {str(channel): address for channel, (on, address) in wanted.items() if on and address}
    return found


Key = tuple[int, str, str, str]


def key_of(notification: Notification) -> Key:
    n = notification
    return (n.recipient_id, n.kind, n.subject, n.period)


# How much of a title and a text the inbox holds, read once: every notification of a sweep is prepared.
TEXT_LIMITS = {
    "title": Notification._meta.get_field("title").max_length,
    "body": Notification._meta.get_field("body").max_length,
}


def _prepared(notification: Notification) -> Notification:
    """Shorten a title or text longer than the inbox holds (a long circular's or suggestion's name inside
    it), never refuse it; check the fields (the recipient is checked by its foreign key on insert)."""
    for field, limit in TEXT_LIMITS.items():
        text = getattr(notification, field)
        if limit and len(text) > limit:
            setattr(notification, field, text[: limit - 1] + "…")
    notification.full_clean(exclude=["recipient"], validate_constraints=False)
    return notification


def _claim(notifications: list[Notification]) -> list[Notification]:
    """Insert the rows whose key is free, in one statement, and return those (with their primary key).

    `ON CONFLICT DO NOTHING` on the unique key is the claim: a key another run inserted, now or
    concurrently (the insert waits for it to commit), is skipped, so it is never sent twice.
    """
    meta = Notification._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    column = {f.name: quote(str(f.column)) for f in meta.concrete_fields}
    key_columns = ", ".join(column[name] for name in ("recipient", "kind", "subject", "period"))
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only the model's own names are spliced in; every value goes as a parameter.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(column[f.name] for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(notifications))} "
        f"ON CONFLICT ({key_columns}) DO NOTHING RETURNING {column[meta.pk.name]}, {key_columns}"
    )
    params = [f.get_db_prep_save(f.pre_save(n, True), connection) for n in notifications for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = {tuple(keyed): pk for pk, *keyed in cursor.fetchall()}
    new = []
    for notification in notifications:
        pk = claimed.get(key_of(notification))
        if pk is not None:
            notification.pk = pk
            notification._state.adding = False
            notification._state.db = connection.alias
            new.append(notification)
    return new


def notify_many(notifications: Iterable[Notification]) -> list[Notification]:
    """Put unsaved notifications in their recipients' inboxes and the outboxes of their channels, once
    per key (recipient, kind, subject, period); returns those that were new, in the order given.

    A few statements per NOTIFICATIONS_BATCH_SIZE (500) notifications, whatever their number: the
    recipients' channel preferences, the inbox rows (`_claim`) and the outbox rows of the new ones. Each
    batch is a transaction of its own (a savepoint inside the caller's). A key given twice counts once;
    a key sent before is skipped and nothing more is sent for it.
    """
    unique: dict[Key, Notification] = {}
    for notification in notifications:
        unique.setdefault(key_of(_prepared(notification)), notification)
    pending = list(unique.values())
    new: list[Notification] = []
    size = settings.NOTIFICATIONS_BATCH_SIZE
    for start in range(0, len(pending), size):
        batch = pending[start : start + size]
        with transaction.atomic():
            claimed = _claim(batch)
            recipients = {n.recipient_id: n.recipient for n in claimed}
            addresses = channel_addresses_of(recipients.values()) if recipients else {}
            deliveries = [
                Delivery(notification=n, channel=channel, address=address)
                for n in claimed
                for channel, address in addresses[n.recipient_id].items()
            ]
            if deliveries:
                Delivery.objects.bulk_create(deliveries)
        new.extend(claimed)
    return new


def notify(
    *, recipient: User, kind: str, subject: str, period: str, title: str, body: str = "", url: str = ""
) -> Notification | None:
    """Put a notification in the recipient's inbox and the outbox of their channels, once per key.

    Returns None when a notification with the same key exists already (nothing more is sent). A title
    longer than the inbox holds (a long circular's or suggestion's name inside it) is shortened, never refused.
    """
    note = Notification(recipient=recipient, kind=kind, subject=subject, period=period, title=title, body=body, url=url)
    new = notify_many([note])
    return new[0] if new else None


def notify_each(
    recipients: Iterable[User], *, kind: str, subject: str, period: str, title: str, body: str = "", url: str = ""
) -> int:
    """`notify` each recipient of one event (in the caller's transaction); returns how many were new."""
    return len(
        notify_many(
            Notification(recipient=user, kind=kind, subject=subject, period=period, title=title, body=body, url=url)
            for user in recipients
        )
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

"""Delivery of notifications (提醒): the in-app inbox, the outbox, and the channels behind one interface.

`notify_many` is the only way in (`notify` and `notify_each` call it). In one transaction per batch it
inserts the inbox rows under their unique key (recipient, kind, subject, period) — a key inserted
before inserts nothing and sends nothing — and an outbox row (Delivery) for each channel a new row's
recipient has switched on. It never talks
to the broker, so a web request that notifies someone works while Redis is down.

`relay_outbox` (run by a Celery task every minute and after each sweep) picks due rows with
`SELECT ... FOR UPDATE SKIP LOCKED`, and `deliver` claims each with a conditional
`UPDATE ... SET state = 'sending' WHERE state = 'pending'`, committed before anything is sent: two
relays never send a row twice, and the attempt is on record whatever happens to the process next.
After the provider answers the row is SENT; a refusal or a failure before the message was handed
over puts it back to PENDING for a retry with exponential backoff, up to NOTIFICATIONS_MAX_ATTEMPTS.

Delivered once, not at least once: a message whose fate is not known is never sent again blindly.
When the connection breaks after the message was handed over in full (the mail server had the whole
text, the gateway the whole request) the row becomes UNKNOWN; so does a row still SENDING long after
any send would have ended (its worker died mid-send; `settle_abandoned`). The office checks those and
marks each delivered or sends it again (`resolve_unconfirmed`). Every attempt of a row carries its
`key`: the e-mail's Message-ID, the SMS gateway's and the robots' Idempotency-Key, so a receiver
that sees one twice can tell.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from congress import outbound
from congress.models import Channel, ChannelPreference, Delivery, Notification, User
from congress.outbound import AnswerLost
from congress.privacy import mask_phone

if TYPE_CHECKING:
    from typing_extensions import Buffer

logger = logging.getLogger(__name__)

State = Delivery.State


@dataclass(frozen=True)
class Message:
    """What a channel sends: a title and a text in Chinese, with an optional link into the portal."""

    title: str
    body: str
    url: str = ""
    # The delivery's key, the same on every attempt: the e-mail's Message-ID, the gateways' Idempotency-Key.
    key: str = ""

    @property
    def text(self) -> str:
        parts = [f"【{settings.PORTAL_NAME}】{self.title}", self.body]
        if self.url:
            parts.append(f"{settings.PORTAL_BASE_URL.rstrip('/')}{self.url}")
        return "\n".join(part for part in parts if part)


class Sender(Protocol):
    """One channel: send `message` to `address` and return the provider's reference for it (or ""), or
    raise: AnswerLost when the message was handed over in full and no answer came, anything else when
    it was not sent."""

    def send(self, address: str, message: Message) -> str | None: ...


class _HandOver(smtplib.SMTP):
    """Mixed into smtplib's client: notes whether the message itself was written to the server (the one
    write after a 354 answer to DATA) and the code the server answered it with (None while none came)."""

    handed_over = False
    answer: int | None = None
    _message_next = False

    def getreply(self) -> tuple[int, bytes]:
        code, text = super().getreply()
        if self.handed_over and self.answer is None:
            self.answer = code
        self._message_next = code == 354
        return code, text

    def send(self, s: Buffer | str) -> None:
        message_next, self._message_next = self._message_next, False
        super().send(s)
        if message_next:
            self.handed_over = True


class _HandOverSMTP(_HandOver):
    pass


class _HandOverSMTPSSL(_HandOver, smtplib.SMTP_SSL):
    pass


class HandOverEmailBackend(SMTPBackend):
    """Django's SMTP backend, keeping the client of its last connection to ask what it handed over."""

    client: _HandOver | None = None

    @property
    def connection_class(self) -> Callable[..., _HandOver]:  # type: ignore[override]
        kind: type[_HandOver] = _HandOverSMTPSSL if self.use_ssl else _HandOverSMTP

        def connect(*args: Any, **kwargs: Any) -> _HandOver:
            self.client = kind(*args, **kwargs)
            return self.client

        return connect


def message_id(key: str) -> str:
    """The Message-ID of a delivery's e-mail: its key at the domain of the sender's address."""
    domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2] or "localhost"
    return f"<{key}@{domain}>"


class EmailSender:
    """E-mail through Django's configured backend (SMTP in production), with the delivery's own Message-ID.

    Over SMTP it tells a message the server accepted, refused, or received in full without answering
    (AnswerLost): the last may have been delivered."""

    def send(self, address: str, message: Message) -> str:
        backend = get_connection(fail_silently=False)
        if type(backend) is SMTPBackend:
            backend = HandOverEmailBackend(
                fail_silently=False, timeout=settings.EMAIL_TIMEOUT or settings.NOTIFICATIONS_SEND_TIMEOUT
            )
        headers = {"Message-ID": message_id(message.key)} if message.key else {}
        subject = f"【{settings.PORTAL_NAME}】{message.title}"
        mail = EmailMessage(subject, message.text, None, [address], connection=backend, headers=headers)
        try:
            mail.send()
        except Exception as error:
            client = getattr(backend, "client", None)
            if client is not None and client.handed_over:
                if client.answer is None:
                    raise AnswerLost(f"the mail server had the whole message and did not answer: {error!r}") from error
                if 200 <= client.answer < 300:  # accepted; the connection broke afterwards (at QUIT)
                    return headers.get("Message-ID", "")
            raise
        return headers.get("Message-ID", "")


class LoggingSmsSender:
    """SMS for sites without a gateway: the text goes to the log."""

    def send(self, address: str, message: Message) -> str:
        logger.info("SMS to %s: %s", mask_phone(address), message.text)
        return ""


def _reference(answer: bytes) -> str:
    """The provider's id for a message, where its answer names one."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    for name in ("message_id", "msgid", "id"):
        if data.get(name):
            return str(data[name])[:200]
    return ""


class HttpSmsSender:
    """SMS through a generic HTTP gateway: POST {"phone", "text", "message_id"} as JSON to
    NOTIFICATIONS_SMS_GATEWAY_URL, with the same message_id (and Idempotency-Key header) on every attempt."""

    def send(self, address: str, message: Message) -> str:
        payload: dict[str, object] = {"phone": address, "text": message.text}
        if message.key:
            payload["message_id"] = message.key
        answer = outbound.post_json(
            settings.NOTIFICATIONS_SMS_GATEWAY_URL,
            payload,
            timeout=settings.NOTIFICATIONS_SEND_TIMEOUT,
            idempotency_key=message.key,
        )
        return _reference(answer)


class WorkChatSender:
    """A group robot of WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书), at a host of
    NOTIFICATIONS_WORK_CHAT_HOSTS only (congress.outbound): each takes {"msgtype": "text", ...}.

    The robots answer HTTP 200 with a non-zero error code on failure, so the answer is read too.
    """

    # Feishu and Lark name the fields differently from WeCom and DingTalk, and answer "code", not "errcode".
    FEISHU_HOSTS = frozenset({"open.feishu.cn", "open.larksuite.com"})

    def send(self, address: str, message: Message) -> str:
        feishu = (urlsplit(address).hostname or "").lower() in self.FEISHU_HOSTS
        payload: dict[str, object] = (
            {"msg_type": "text", "content": {"text": message.text}}
            if feishu
            else {"msgtype": "text", "text": {"content": message.text}}
        )
        answer = outbound.post_json(
            address,
            payload,
            timeout=settings.NOTIFICATIONS_SEND_TIMEOUT,
            hosts=settings.NOTIFICATIONS_WORK_CHAT_HOSTS,
            idempotency_key=message.key,
        )
        try:
            errcode = json.loads(answer or b"{}").get("code" if feishu else "errcode", 0)
        except ValueError:
            errcode = 0
        if errcode:
            raise RuntimeError(f"work-chat robot refused the message: {answer[:200]!r}")
        return _reference(answer)


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
    return Q(state=State.PENDING, next_attempt_at__lte=now or timezone.now())


def deliver(delivery_id: int) -> bool:
    """Claim one outbox row, record the attempt, send it and record the result; True when this call sent it.

    The conditional UPDATE to SENDING is the claim (only one caller sees one row updated) and the record
    of the attempt: it commits before anything is sent, so call this outside a transaction. A refusal
    schedules the next attempt with exponential backoff; a lost answer leaves the row UNKNOWN.
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(due_deliveries(now), pk=delivery_id).update(
        state=State.SENDING, attempted_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    delivery = Delivery.objects.select_related("notification").get(pk=delivery_id)
    attempt = delivery.attempts
    this_attempt = Delivery.objects.filter(pk=delivery_id, attempts=attempt)
    note = delivery.notification
    message = Message(note.title, note.body, note.url, key=str(delivery.key))
    try:
        reference = sender_for(delivery.channel).send(delivery.address, message)
    except AnswerLost as error:
        this_attempt.filter(state=State.SENDING).update(state=State.UNKNOWN, last_error=str(error)[:1000])
        logger.warning("Delivery %s on %s unconfirmed (attempt %s): %s", delivery_id, delivery.channel, attempt, error)
        return False
    except Exception as error:
        gave_up = attempt >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        this_attempt.filter(state=State.SENDING).update(
            state=State.FAILED if gave_up else State.PENDING,
            last_error=str(error)[:1000],
            next_attempt_at=timezone.now() + dt.timedelta(minutes=2**attempt),
            failed_at=timezone.now() if gave_up else None,
        )
        logger.warning("Delivery %s on %s failed (attempt %s): %s", delivery_id, delivery.channel, attempt, error)
        return False
    # A relay may have called the attempt unconfirmed meanwhile (a very slow send): the answer settles it.
    this_attempt.filter(state__in=[State.SENDING, State.UNKNOWN]).update(
        state=State.SENT, sent_at=timezone.now(), provider_reference=(reference or "")[:200], last_error=""
    )
    return True


ABANDONED = "the sending process stopped before the result was recorded"


def settle_abandoned(now: dt.datetime | None = None) -> int:
    """Rows SENDING for longer than any send takes (NOTIFICATIONS_UNCONFIRMED_AFTER): the process sending
    them died or was stopped mid-send. They become UNKNOWN, never sent again blindly. Returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.NOTIFICATIONS_UNCONFIRMED_AFTER)
    settled = Delivery.objects.filter(state=State.SENDING, attempted_at__lt=cutoff).update(
        state=State.UNKNOWN, last_error=ABANDONED
    )
    if settled:
        logger.warning("%s deliveries left mid-send are now unconfirmed", settled)
    return settled


def relay_outbox(*, limit: int = 500) -> int:
    """Send every due outbox row, for at most NOTIFICATIONS_RELAY_SECONDS (the next relay sends the rest);
    rows another relay holds are skipped, not waited for. Rows left mid-send become UNKNOWN first."""
    settle_abandoned()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(due_deliveries())
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
    # Another relay may pick the same ids once this lock is gone; the claim in `deliver` settles it.
    deadline = time.monotonic() + settings.NOTIFICATIONS_RELAY_SECONDS
    sent = 0
    for delivery_id in ids:
        if time.monotonic() > deadline:
            break
        sent += deliver(delivery_id)
    return sent


def shown_address(delivery: Delivery) -> str:
    """Where a delivery went, as a page shows it: the e-mail address, the phone masked, the robot's host
    (its address holds the robot's secret key)."""
    if delivery.channel == Channel.SMS:
        return mask_phone(delivery.address)
    if delivery.channel == Channel.WORK_CHAT:
        return urlsplit(delivery.address).hostname or ""
    return delivery.address


class Resolution:
    """What the office decides about an unconfirmed delivery after checking with its recipient."""

    DELIVERED = "delivered"
    RESEND = "resend"


@transaction.atomic
def resolve_unconfirmed(*, by: User, delivery: Delivery, outcome: str) -> None:
    """Settle an UNKNOWN delivery: it arrived (SENT), or it did not and goes out again with the same key.
    Only an UNKNOWN row changes; one settled by someone else meanwhile is refused."""
    now = timezone.now()
    if outcome == Resolution.DELIVERED:
        values: dict[str, Any] = {"state": State.SENT, "sent_at": now}
    elif outcome == Resolution.RESEND:
        values = {"state": State.PENDING, "next_attempt_at": now}
    else:
        raise ValidationError(_("Choose whether the message arrived or must be sent again."))
    changed = Delivery.objects.filter(pk=delivery.pk, state=State.UNKNOWN).update(
        resolved_by=by, resolved_at=now, **values
    )
    if not changed:
        raise ValidationError(_("This delivery is no longer unconfirmed: someone has resolved it already."))


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

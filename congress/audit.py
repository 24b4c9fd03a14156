"""The audit trail (审计记录): sign-ins, sign-outs, refused requests, exports and reveals of personal data.

Changes to records are kept by django-simple-history (a `history` on each model that holds personal
data, progress figures, votes or suggestion states); this module writes the events around them. Every
row is append-only in the database (a trigger refuses UPDATE and DELETE); `prune()` removes rows past
the retention period, never any younger than six months.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from simple_history.models import registered_models

from congress import access
from congress.access import OutOfScope
from congress.models import AuditAction, AuditEvent, AuditResult, Town, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from congress.models import User

# The shortest retention the law allows; the trigger enforces the same floor in the database.
RETENTION_FLOOR_DAYS = 186  # six calendar months are at most 184 days; two days of margin


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as django-axes reads it (it honours the configured proxy headers)."""
    if request is None:
        return None

    address = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:  # a malformed proxy header never stops a sign-in from being recorded
        return None


def record(
    *,
    action: str,
    result: str = AuditResult.SUCCESS,
    request: HttpRequest | None = None,
    user: User | AnonymousUser | None = None,
    username: str = "",
    target: str | Model = "",
    detail: str = "",
    town: Town | None = None,
) -> AuditEvent:
    """Write one audit event; the user defaults to the request's, the town to the user's."""
    if user is None and request is not None:
        # A failed sign-in may come from a request the authentication middleware never saw.
        user = getattr(request, "user", None)
    account = user if user is not None and user.is_authenticated else None
    if isinstance(target, Model):
        target = f"{target._meta.label_lower}:{target.pk}"
    return AuditEvent.objects.create(
        user=account,
        username=(account.username if account is not None else username)[:150],
        town_id=town.pk if town is not None else getattr(account, "town_id", None),
        ip=client_ip(request),
        action=action,
        result=result,
        target=str(target)[:200],
        detail=detail[:500],
    )


def on_login(*, request: HttpRequest, user: User, **_: Any) -> None:
    record(action=AuditAction.LOGIN, request=request, user=user)


def on_logout(*, request: HttpRequest, user: User | None, **_: Any) -> None:
    if user is not None:
        record(action=AuditAction.LOGOUT, request=request, user=user)


def on_login_failed(*, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any) -> None:
    """A failed sign-in, under the name that was tried; an existing account's town sees it."""

    username = str(credentials.get("username", ""))[:150]
    account = User.objects.filter(username=username).first() if username else None
    record(
        action=AuditAction.LOGIN_FAILED,
        result=AuditResult.FAILURE,
        request=request,
        user=account,
        username=username,
    )


class DeniedAccessMiddleware:
    """Records a refused request: a 403 from a missing permission, or a 404 for a record that exists
    but lies outside the user's scope (congress.access.OutOfScope)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            status = "403"
        elif isinstance(exception, OutOfScope):
            status = "404"
        else:
            return None
        target = getattr(exception, "target", "") or request.path
        record(
            action=AuditAction.DENIED,
            result=AuditResult.FAILURE,
            request=request,
            target=target,
            detail=f"{status} {request.method} {request.path}",
        )
        return None


def records_export(target: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: a download or print of personal data that succeeds leaves an export event
    naming what was taken, with which filters, and whether numbers were in full (`full=1`)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                name = target if not kwargs else f"{target}:{':'.join(str(v) for v in kwargs.values())}"
                full = request.GET.get("full") == "1"
                query = request.GET.urlencode()
                record(
                    action=AuditAction.EXPORT,
                    request=request,
                    target=name,
                    detail=("full" if full else "masked") + (f" ?{query}" if query else ""),
                )
            return response

        return wrapped

    return decorator


def retention_days() -> int:
    """The configured retention, never below the floor."""
    return max(int(settings.AUDIT_RETENTION_DAYS), RETENTION_FLOOR_DAYS)


def history_models() -> list[type[Model]]:
    """Every historical model django-simple-history keeps for this project's apps."""

    labels = set(settings.PROJECT_APPS)
    found = []
    for model in registered_models.values():
        history = getattr(model, "history", None)
        if model._meta.app_label in labels and history is not None:
            found.append(history.model)
    return sorted(found, key=lambda m: m._meta.label)


@transaction.atomic
def prune(*, days: int | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete audit events and history rows older than `days` (the setting by default), clamped to at
    least the six-month floor. Returns how many rows went, by table."""
    keep = max(days if days is not None else retention_days(), RETENTION_FLOOR_DAYS)
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL congress.audit_prune = 'on'")
    removed = {AuditEvent._meta.db_table: AuditEvent.objects.older_than(cutoff)._raw_delete(AuditEvent.objects.db)}
    for model in history_models():
        qs = model._default_manager.filter(history_date__lt=cutoff)
        removed[model._meta.db_table] = qs._raw_delete(qs.db)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL congress.audit_prune = 'off'")
    return removed


def changes(
    user: User | AnonymousUser,
    *,
    date_from: dt.datetime | None = None,
    date_until: dt.datetime | None = None,
    username: str = "",
    limit: int = 100,
) -> list[Model]:
    """The latest changes to audited records of the towns the user reads, newest first: one query per
    audited model, each narrowed to those towns by the model's own AccessRule path to its town."""

    town_ids = list(access.towns(user).values_list("pk", flat=True)) if not user.is_superuser else None
    rows: list[Model] = []
    for model in history_models():
        qs = model._default_manager.select_related("history_user")
        if town_ids is not None:
            rule = access.rule_for(model.instance_type)  # type: ignore[attr-defined]  # set by simple-history
            qs = qs.filter(**{f"{rule.town}__in" if rule.town != "self" else "pk__in": town_ids})
        if date_from is not None:
            qs = qs.filter(history_date__gte=date_from)
        if date_until is not None:
            qs = qs.filter(history_date__lt=date_until)
        if username:
            qs = qs.filter(history_user__username__icontains=username)
        rows += list(qs.order_by("-history_date", "-history_id")[:limit])
    rows.sort(key=lambda r: r.history_date, reverse=True)  # type: ignore[attr-defined]  # history rows
    return rows[:limit]


def skip_sign_in_stamp(*, instance: Model, update_fields: frozenset[str] | None = None, **_: Any) -> None:
    """pre_save of User: a sign-in stamping last_login is an audit event already, not a change to the
    account, so it leaves no history row (django-simple-history skips a save so marked)."""
    if update_fields is not None and set(update_fields) == {"last_login"}:
        instance.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history's flag


def unmark_sign_in_stamp(*, instance: Model, **_: Any) -> None:
    """post_save of User, after django-simple-history's: later saves of the same object are kept again."""
    instance.__dict__.pop("skip_history_when_saving", None)

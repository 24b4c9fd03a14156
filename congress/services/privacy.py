"""Writes of the personal data requests (PIPL 查阅、更正、删除): recording one, answering it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress import access
from congress.models import PersonalDataRequest, User


@transaction.atomic
def record_request(*, by: User, request: PersonalDataRequest) -> PersonalDataRequest:
    """A request as it came in, in the recorder's own town."""
    if not access.can(by, "privacy.record_requests"):
        raise PermissionDenied
    request.town = access.home_town(by)
    request.recorded_by = by
    request.answer, request.answered_on, request.answered_by = "", None, None
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def answer_request(*, by: User, request: PersonalDataRequest, answer: str, answered_on: dt.date) -> PersonalDataRequest:
    """The office's answer; a request is answered once (a later correction is a new request)."""
    if not access.can(by, "privacy.record_requests"):
        raise PermissionDenied
    current = access.scope(by, PersonalDataRequest).select_for_update().filter(pk=request.pk).first()
    if current is None:
        raise PermissionDenied
    if current.is_answered:
        raise ValidationError(_("This request was answered already."))
    current.answer, current.answered_on, current.answered_by = answer, answered_on, by
    current.full_clean()
    current.save(update_fields=["answer", "answered_on", "answered_by"])
    return current

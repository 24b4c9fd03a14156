"""The deputies' year, written: activities (履职活动), reception days at the liaison stations (接待日)
and the receptions held on them. One function per thing a user does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import access
from congress.concurrency import many_to_many, save_versioned
from congress.models import Attachment, Deputy, Town, User, Venue, VisitMethod
from congress.uploads import store_upload
from duty.models import Activity, ReceptionDuty
from visits.models import Household, Visit
from visits.services import OpinionData, record_visit


def _deputy_errors(town: Town, deputies: Sequence[Deputy], day: dt.date) -> list[str]:
    problems = []
    for deputy in deputies:
        if deputy.town_id != town.pk:
            problems.append(_("%(name)s is not a deputy of your town.") % {"name": deputy.name})
        elif not deputy.is_serving_on(day):
            problems.append(_("%(name)s was not in office on that date.") % {"name": deputy.name})
    return problems


@transaction.atomic
def record_activity(
    *,
    by: User,
    kind: str,
    title: str,
    held_on: dt.date,
    venue: Venue | None = None,
    place: str = "",
    participants: Sequence[Deputy] = (),
    notes: str = "",
    photos: Sequence[UploadedFile] = (),
) -> Activity:
    """Record an activity of the user's town with its participants and photos (EXIF stripped)."""
    if not access.can(by, "activities.manage"):
        raise PermissionDenied
    town = access.home_town(by)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("The date cannot be in the future.")]
    if problems := _deputy_errors(town, participants, held_on):
        errors["participants"] = problems
    activity = Activity(
        town=town,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        venue=venue,
        place=place.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )
    try:
        activity.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    activity.save()
    activity.participants.set(participants)
    for photo in photos:
        add_photo(by=by, activity=activity, uploaded_file=photo)
    return activity


@transaction.atomic
def add_photo(*, by: User, activity: Activity, uploaded_file: UploadedFile) -> Attachment:
    """Attach a photo or document to an activity."""
    if not access.can(by, "activities.manage"):
        raise PermissionDenied
    return store_upload(by=by, town=activity.town, owner=activity, uploaded_file=uploaded_file)


@transaction.atomic
def set_reception_duty(
    *, by: User, venue: Venue, on_date: dt.date, deputies: Sequence[Deputy], version: int | None = None
) -> ReceptionDuty:
    """Put deputies on duty at a liaison station on a date (replacing who was on duty that day).

    `version` is the day's as the form was drawn, 0 when it showed no duty that day: when the stored
    duty has moved on and names other deputies, nothing is written and EditConflict says who is on duty.
    Without it (a caller without a form) the day is replaced as it stands.
    """
    if not access.can(by, "activities.manage_roster"):
        raise PermissionDenied
    town = access.home_town(by)
    errors: dict[str, list[str]] = {}
    if venue.town_id != town.pk or venue.kind != Venue.Kind.STATION:
        errors["venue"] = [_("Choose a liaison station of your town.")]
    if not deputies:
        errors["deputies"] = [_("Choose at least one deputy.")]
    elif problems := _deputy_errors(town, deputies, on_date):
        errors["deputies"] = problems
    if errors:
        raise ValidationError(errors)
    duty = ReceptionDuty.objects.select_for_update().filter(venue=venue, on_date=on_date).first()
    if duty is None:
        duty = ReceptionDuty(town=town, venue=venue, on_date=on_date)
        # One duty per station and day is the table's to enforce: a check here races the other's insert.
        duty.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                duty.save()
        except IntegrityError:
            # Someone put the same day on the roster at the same moment: theirs is compared below.
            duty = ReceptionDuty.objects.select_for_update().get(venue=venue, on_date=on_date)
        else:
            duty.deputies.set(deputies)
            return duty
    save_versioned(duty, version=version, fields=[], related=[many_to_many(duty, "deputies", deputies)])
    return duty


@transaction.atomic
def record_reception(
    *,
    by: User,
    duty: ReceptionDuty,
    idempotency_key: UUID,
    deputies: Sequence[Deputy],
    voter_name: str = "",
    household: Household | None = None,
    notes: str = "",
    opinions: Sequence[OpinionData] = (),
) -> Visit:
    """Record a voter received on a reception day: a visit made at the station, whose opinions enter
    the opinion flow of the visits (triage, summaries, projects) like any other."""
    if duty.venue.village_id is None:
        raise ValidationError({"deputies": [_("This station has no village: set it on the venue first.")]})
    off_duty = [d.name for d in deputies if d.pk not in {x.pk for x in duty.deputies.all()}]
    if off_duty:
        raise ValidationError({"deputies": [_("Not on duty that day: %(names)s.") % {"names": "、".join(off_duty)}]})
    # Reception records are visits: the visits app owns their rules, so this write goes through it.
    return record_visit(
        by=by,
        idempotency_key=idempotency_key,
        visited_on=duty.on_date,
        method=VisitMethod.STATION,
        deputies=deputies,
        household=household,
        village=duty.venue.village,
        voter_name=voter_name if household is None else "",
        notes=notes,
        opinions=opinions,
    )


@dataclass(frozen=True)
class TrainingRow:
    deputy: Deputy
    trainings: int


def first_term_training(*, town: Town, year: int) -> tuple[int, list[TrainingRow]]:
    """First-term deputies in office in the year, with the trainings each attended, and how many
    trainings the town held that year."""
    held = Activity.objects.filter(town=town, kind=Activity.Kind.TRAINING).in_year(year).count()
    deputies = (
        Deputy.objects.filter(town=town, is_first_term=True)
        .serving_in_year(year)
        .select_related("constituency")
        .annotate(
            trainings=Count(
                "activities",
                filter=Q(activities__kind=Activity.Kind.TRAINING, activities__held_on__year=year),
            )
        )
    )
    return held, [TrainingRow(deputy=d, trainings=d.trainings) for d in deputies]

"""The writes of the visits app: one function per thing a user does, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import access
from congress.concurrency import many_to_many, save_versioned
from congress.models import AnnualPlan, Department, Deputy, Town, User, Village
from congress.notifications import notify_each
from congress.reminders import town_users
from congress.roles import Role
from visits import tallies
from visits.models import (
    Household,
    HouseholdExport,
    MediationCase,
    Opinion,
    OpinionCategory,
    Pairing,
    SummaryItem,
    TriageStep,
    Visit,
)
from visits.pinyin import initials


@dataclass(frozen=True)
class OpinionData:
    """One opinion heard on a visit, as the form hands it over."""

    category: OpinionCategory
    text: str
    urgency: str = Opinion.Urgency.NORMAL


@transaction.atomic
def record_visit(
    *,
    by: User,
    idempotency_key: UUID,
    visited_on: dt.date,
    method: str,
    deputies: Sequence[Deputy] = (),
    household: Household | None = None,
    village: Village | None = None,
    voter_name: str = "",
    notes: str = "",
    opinions: Sequence[OpinionData] = (),
) -> Visit:
    """Record a visit (走访) and the opinions heard on it.

    The form's idempotency key makes a double submit return the visit already stored. The household,
    village and deputies must be within the recorder's reach, and the date never in the future.
    """
    if not access.can(by, "visits.record"):
        raise PermissionDenied
    existing = Visit.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_recorder(existing, by)

    town = access.home_town(by)
    errors: dict[str, list[str]] = {}
    if household is not None:
        if not access.scope(by, Household).filter(pk=household.pk).exists():
            errors.setdefault("household", []).append(_("This household is not in your register."))
        village = village or household.village
    if village is None:
        errors.setdefault("village", []).append(_("Choose the village."))
    elif not access.scope(by, Village).filter(pk=village.pk).exists():
        errors.setdefault("village", []).append(_("This village is not yours to record."))
    if visited_on > timezone.localdate():
        errors.setdefault("visited_on", []).append(_("The date cannot be in the future."))
    errors.update(_deputy_errors(by, town_id=town.pk, deputies=deputies, visited_on=visited_on))
    for i, opinion in enumerate(opinions):
        if opinion.category.town_id != town.pk or not opinion.category.is_active:
            errors.setdefault("opinions", []).append(_("Opinion %(n)s: choose a category.") % {"n": i + 1})
        if not opinion.text.strip():
            errors.setdefault("opinions", []).append(_("Opinion %(n)s: write what was said.") % {"n": i + 1})
    if errors:
        raise ValidationError(errors)

    visit = Visit(
        town=town,
        village=village,
        household=household,
        voter_name=voter_name.strip(),
        visited_on=visited_on,
        method=method,
        notes=notes.strip(),
        recorded_by=by,
        idempotency_key=idempotency_key,
    )
    # The rules behind the table's CHECK constraints are clean()'s own, and the town, village, household
    # and recorder were looked up through access above: asking the database again cost 13 queries a visit.
    visit.full_clean(
        exclude=["town", "village", "household", "recorded_by"], validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        # Two submits raced: the other one stored the visit first.
        return _same_recorder(Visit.objects.get(idempotency_key=idempotency_key), by)
    visit.deputies.add(*deputies)  # a new visit: nothing to compare with first
    tallies.add_visit(visit, [d.pk for d in deputies])  # the quota's counters, in this transaction
    rows = [Opinion(visit=visit, category=o.category, text=o.text.strip(), urgency=o.urgency) for o in opinions]
    for row in rows:
        row.full_clean(exclude=["visit", "category"], validate_constraints=False)  # both checked above
    Opinion.objects.bulk_create(rows)
    _notify_staff_of_urgent_opinions(visit, [row for row in rows if row.urgency == Opinion.Urgency.URGENT])
    return visit


def _notify_staff_of_urgent_opinions(visit: Visit, urgent: list[Opinion]) -> None:
    """An urgent opinion should not wait for the next triage: the town's staff hear of it at once,
    through inbox and outbox rows written in the visit's transaction (never the broker)."""
    if not urgent:
        return
    where = visit.household.head_name if visit.household else visit.voter_name or visit.village.name
    notify_each(
        town_users(visit.town_id, Role.STAFF),
        kind="visits.urgent_opinion",
        subject=f"visit:{visit.pk}",
        period="recorded",
        title=_("Urgent opinion heard on a visit: %(where)s") % {"where": where},
        body="\n".join(f"· {opinion.text}" for opinion in urgent),
        url=visit.get_absolute_url(),
    )


def _same_recorder(visit: Visit, by: User) -> Visit:
    if visit.recorded_by_id != by.pk:
        raise ValidationError(_("This form was already used. Open a new visit form."))
    return visit


def _deputy_errors(by: User, *, town_id: int, deputies: Sequence[Deputy], visited_on: dt.date) -> dict[str, list[str]]:
    """Deputies named on a visit: of the recorder's town, in office that day; a deputy records their own."""
    problems = []
    for deputy in deputies:
        if deputy.town_id != town_id:
            problems.append(_("%(name)s is not a deputy of your town.") % {"name": deputy.name})
        elif not deputy.is_serving_on(visited_on):
            problems.append(_("%(name)s was not in office on that date.") % {"name": deputy.name})
    if access.is_deputy(by):
        own = access.own_deputy(by)
        if own is None or own.pk not in {d.pk for d in deputies}:
            problems.append(_("A deputy records the visits they took part in."))
    return {"deputies": problems} if problems else {}


HOUSEHOLD_FIELDS = ("address", "head_name", "phone", "size", "status", "lives_alone_elderly", "limited_mobility")


@transaction.atomic
def save_household(*, by: User, household: Household) -> Household:
    """Add a household to the register or save its changes, with its pinyin initials for search."""
    if not access.can(by, "visits.manage_households"):
        raise PermissionDenied
    town = access.home_town(by)
    if household.village_id is None or not access.scope(by, Village).filter(pk=household.village_id).exists():
        raise ValidationError({"village": _("This village is not yours to keep.")})
    if household.pk and not access.scope(by, Household).filter(pk=household.pk).exists():
        raise PermissionDenied
    if household.pk and Household.objects.filter(pk=household.pk, erased_on__isnull=False).exists():
        raise ValidationError(_("This household's personal data was erased; it can no longer be changed."))
    household.town = town
    household.note_status(timezone.localdate())
    household.head_name = household.head_name.strip()
    household.address = household.address.strip()
    household.head_initials = initials(household.head_name)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def record_household_export(
    *, by: User, full_phones: bool, rows_by_town: Mapping[int, int], filters: str
) -> list[HouseholdExport]:
    """Every register export leaves a record in each town whose households it holds (a district user's
    export may span several; an export of no rows is recorded in the exporter's own town, if any).
    A full export (phones unmasked) is for staff alone."""
    if full_phones and not access.can(by, "visits.export_full"):
        raise PermissionDenied
    counts = dict(rows_by_town)
    if not counts and by.town_id is not None:
        counts = {by.town_id: 0}
    return HouseholdExport.objects.bulk_create(
        HouseholdExport(town_id=town_id, exported_by=by, full_phones=full_phones, rows=count, filters=filters[:500])
        for town_id, count in sorted(counts.items())
    )


SETTLED = {
    SummaryItem.Status.CANDIDATE: Opinion.Status.CANDIDATE,
    SummaryItem.Status.REFERRED: Opinion.Status.REFERRED,
    SummaryItem.Status.ANSWERED: Opinion.Status.ANSWERED,
    SummaryItem.Status.CLOSED: Opinion.Status.CLOSED,
}


def _triager(by: User) -> Town:
    if not access.can(by, "visits.triage_opinions"):
        raise PermissionDenied
    return access.home_town(by)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this step.")})
    return reason


@transaction.atomic
def merge_opinions(
    *,
    by: User,
    opinions: Sequence[Opinion],
    reason: str,
    item: SummaryItem | None = None,
    title: str = "",
    category: OpinionCategory | None = None,
) -> SummaryItem:
    """Merge opinions into a summary item (汇总事项), a new one when `item` is None; the reason is kept."""
    town = _triager(by)
    reason = _reason(reason)
    if not opinions:
        raise ValidationError({"opinions": _("Choose the opinions to merge.")})
    ids = [o.pk for o in opinions]
    if access.scope(by, Opinion).filter(pk__in=ids).count() != len(set(ids)):
        raise ValidationError({"opinions": _("Some opinions are not yours to triage.")})
    rows = list(Opinion.objects.filter(pk__in=ids).select_for_update())
    if len(rows) != len(set(ids)):
        raise ValidationError({"opinions": _("Some opinions are not yours to triage.")})
    if any(o.status != Opinion.Status.NEW for o in rows):
        raise ValidationError({"opinions": _("Only new opinions can be merged.")})
    if item is None:
        item = SummaryItem(town=town, title=title.strip(), category=category or rows[0].category, created_by=by)
        item.full_clean()
        item.save()
    elif item.town_id != town.pk or item.status != SummaryItem.Status.OPEN:
        raise ValidationError({"item": _("Merge only into an open summary item of your town.")})
    for opinion in rows:
        opinion.status, opinion.reason, opinion.summary_item = Opinion.Status.MERGED, reason, item
    Opinion.objects.bulk_update(rows, ["status", "reason", "summary_item"])
    TriageStep.objects.bulk_create(
        [TriageStep(opinion=o, summary_item=item, status=Opinion.Status.MERGED, reason=reason, by=by) for o in rows]
    )
    return item


@transaction.atomic
def settle_summary_item(
    *, by: User, item: SummaryItem, status: str, reason: str, department: Department | None = None
) -> SummaryItem:
    """Mark a summary item as a project candidate, referred, answered or closed; its opinions follow."""
    town = _triager(by)
    reason = _reason(reason)
    if status not in SETTLED:
        raise ValidationError({"status": _("Choose what becomes of the item.")})
    if item.town_id != town.pk:
        raise PermissionDenied
    if status == SummaryItem.Status.REFERRED and (department is None or department.town_id != town.pk):
        raise ValidationError({"department": _("Choose the department it is referred to.")})
    item.status, item.reason = status, reason
    item.department = department if status == SummaryItem.Status.REFERRED else item.department
    item.full_clean()
    item.save(update_fields=["status", "reason", "department", "updated_at"])
    item.opinions.update(status=SETTLED[SummaryItem.Status(status)], reason=reason)
    TriageStep.objects.create(summary_item=item, status=status, reason=reason, department=department, by=by)
    return item


@transaction.atomic
def settle_opinions(*, by: User, opinions: Sequence[Opinion], status: str, reason: str) -> int:
    """Answer or close new opinions directly, without a summary item (answered on the spot, out of scope)."""
    _triager(by)
    reason = _reason(reason)
    if status not in (Opinion.Status.ANSWERED, Opinion.Status.CLOSED):
        raise ValidationError({"status": _("Opinions are answered or closed directly.")})
    ids = [o.pk for o in opinions]
    allowed = access.scope(by, Opinion).filter(pk__in=ids, status=Opinion.Status.NEW).values("pk")
    rows = list(Opinion.objects.filter(pk__in=allowed).select_for_update())
    if not rows or len(rows) != len(set(ids)):
        raise ValidationError({"opinions": _("Choose new opinions of your town.")})
    for opinion in rows:
        opinion.status, opinion.reason = status, reason
    Opinion.objects.bulk_update(rows, ["status", "reason"])
    TriageStep.objects.bulk_create([TriageStep(opinion=o, status=status, reason=reason, by=by) for o in rows])
    return len(rows)


@transaction.atomic
def pair_deputy(
    *,
    by: User,
    deputy: Deputy,
    household: Household,
    started_on: dt.date,
    expected_every_days: int | None = None,
    notes: str = "",
) -> Pairing:
    """Pair a deputy with a vulnerable household (结对帮扶); the visit frequency defaults to the plan's."""
    if not access.can(by, "visits.manage_pairings"):
        raise PermissionDenied
    town = access.home_town(by)
    errors: dict[str, list[str]] = {}
    if deputy.town_id != town.pk or not deputy.is_serving_on(started_on):
        errors["deputy"] = [_("Choose a deputy of your town in office on that date.")]
    if not access.scope(by, Household).filter(pk=household.pk).exists():
        errors["household"] = [_("This household is not in your register.")]
    elif not household.is_vulnerable:
        errors["household"] = [_("Pairs are for elderly living alone or people with limited mobility.")]
    if Pairing.objects.filter(deputy=deputy, household=household, ended_on__isnull=True).exists():
        errors.setdefault("household", []).append(_("This deputy is already paired with this household."))
    if errors:
        raise ValidationError(errors)
    if expected_every_days is None:
        expected_every_days = AnnualPlan.objects.for_town_year(town, started_on.year).pairing_visit_every_days
    pairing = Pairing(
        town=town,
        deputy=deputy,
        household=household,
        started_on=started_on,
        expected_every_days=expected_every_days,
        notes=notes.strip(),
    )
    pairing.full_clean()
    pairing.save()
    return pairing


@transaction.atomic
def end_pairing(*, by: User, pairing: Pairing, ended_on: dt.date) -> Pairing:
    """End a pair; its history stays."""
    if not access.can(by, "visits.manage_pairings") or pairing.town_id != access.home_town(by).pk:
        raise PermissionDenied
    pairing.ended_on = ended_on
    pairing.full_clean()
    pairing.save(update_fields=["ended_on"])
    return pairing


@transaction.atomic
def record_mediation(
    *,
    by: User,
    village: Village,
    occurred_on: dt.date,
    dispute: str,
    outcome: str,
    deputies: Sequence[Deputy] = (),
    case: MediationCase | None = None,
    version: int | None = None,
) -> MediationCase:
    """Record a mediated dispute (矛盾调解) or update one; a deputy records the cases they took part in.

    An update's `version` is the one its form was drawn from: when someone saved the case since and it
    differs from this edit (its deputies included), nothing is written and EditConflict says what."""
    if not access.can(by, "visits.record_mediation"):
        raise PermissionDenied
    town = access.home_town(by)
    errors: dict[str, list[str]] = {}
    if not access.scope(by, Village).filter(pk=village.pk).exists():
        errors["village"] = [_("This village is not yours to record.")]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    errors.update(_deputy_errors(by, town_id=town.pk, deputies=deputies, visited_on=occurred_on))
    if case is not None and not access.scope(by, MediationCase).filter(pk=case.pk).exists():
        raise PermissionDenied
    if errors:
        raise ValidationError(errors)
    if case is None:
        case = MediationCase(town=town, recorded_by=by)
        created = True
    else:
        case = MediationCase.objects.select_for_update().get(pk=case.pk)
        created = False
    case.village, case.occurred_on, case.dispute, case.outcome = village, occurred_on, dispute.strip(), outcome
    case.full_clean()
    if created:
        case.save()
        case.deputies.set(deputies)
        return case
    typed = ["village", "occurred_on", "dispute", "outcome"]
    save_versioned(case, version=version, fields=typed, related=[many_to_many(case, "deputies", deputies)])
    return case


@transaction.atomic
def save_opinion_category(*, by: User, category: OpinionCategory) -> OpinionCategory:
    """Add or rename an opinion category of the recorder's town, or take it out of use (never deleted)."""
    if not access.can(by, "visits.manage_categories"):
        raise PermissionDenied
    town = access.home_town(by)
    if category.pk and category.town_id != town.pk:
        raise PermissionDenied
    category.town = town
    category.name = category.name.strip()
    if OpinionCategory.objects.filter(town=town, name=category.name).exclude(pk=category.pk).exists():
        # The database constraint spans two fields, so full_clean() would report it above the form.
        raise ValidationError({"name": _("The town already has a category of this name.")})
    category.full_clean()
    category.save()
    return category

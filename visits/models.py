"""Visits (大走访): the household register, visits and the opinions they collect, the summaries those
opinions feed, pairing assistance (结对帮扶) and mediation cases (矛盾调解).

Every row belongs to one town; the services in visits.services are the only writers with rules.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, Func, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import EVERY_TOWN_ROLE, AccessRule
from congress.models import Department, Deputy, Town, User, Village, VisitMethod
from congress.roles import Role

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import StrOrPromise, WithAnnotations

PINYIN_COLLATION = "zh-Hans-x-icu"

DEFAULT_OPINION_CATEGORIES = [
    "就业",
    "住房",
    "交通出行",
    "教育",
    "医疗卫生",
    "生态环保",
    "养老服务",
    "社会保障",
    "食品安全",
    "便民服务",
    "农业农村",
    "社会治安",
    "其他",
]


class AddDays(Func):
    """date + integer days, which PostgreSQL keeps a date."""

    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = models.DateField()


class HouseholdQuerySet(models.QuerySet["Household"]):
    def in_pinyin_order(self) -> HouseholdQuerySet:
        return self.order_by(Collate("head_name", PINYIN_COLLATION), "address", "pk")

    def resident(self) -> HouseholdQuerySet:
        return self.filter(status=Household.Status.RESIDENT)

    def search(self, text: str) -> HouseholdQuerySet:
        """By head of household, address, or the pinyin initials of the name (`zxm` finds 张晓明)."""
        text = text.strip()
        if not text:
            return self
        condition = Q(head_name__icontains=text) | Q(address__icontains=text)
        if text.isascii() and text.isalpha():
            condition |= Q(head_initials__startswith=text.lower())
        return self.filter(condition)

    def visited_in_year(self, year: int) -> HouseholdQuerySet:
        return self.filter(Exists(Visit.objects.filter(household=OuterRef("pk"), visited_on__year=year)))


class Household(models.Model):
    """A household of the register (住户). Holds only the personal data the visits need."""

    class Status(models.TextChoices):
        RESIDENT = "resident", _("resident")
        MOVED_OUT = "moved_out", _("moved out")
        DEREGISTERED = "deregistered", _("deregistered")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="households", verbose_name=_("town"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="households", verbose_name=_("village"))
    address = models.CharField(_("address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=30)
    head_initials = models.CharField(_("pinyin initials"), max_length=30, blank=True, editable=False, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    size = models.PositiveSmallIntegerField(_("household size"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RESIDENT)
    lives_alone_elderly = models.BooleanField(_("elderly living alone"), default=False)
    limited_mobility = models.BooleanField(_("limited mobility"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    # Deputies look households up across the town to record visits; phones stay masked for them.
    access_rule = AccessRule(town="town", village="village", town_wide=frozenset({Role.DEPUTY}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["town_id", "village_id", "address", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["village", "address", "head_name"], name="household_unique_in_village"),
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=50), name="household_size_sane"),
            models.CheckConstraint(
                condition=Q(status__in=["resident", "moved_out", "deregistered"]), name="household_status_valid"
            ),
            models.CheckConstraint(condition=~Q(head_name=""), name="household_head_named"),
        ]
        indexes = [models.Index(fields=["town", "village"], name="household_town_village")]

    def __str__(self) -> str:
        return f"{self.head_name}（{self.address}）"

    def get_absolute_url(self) -> str:
        return reverse("visits:household_detail", args=[self.pk])

    def clean(self) -> None:
        if self.village_id and self.town_id and self.village.town_id != self.town_id:
            raise ValidationError({"village": _("The village belongs to another town.")})

    @property
    def is_vulnerable(self) -> bool:
        return self.lives_alone_elderly or self.limited_mobility


class VisitQuerySet(models.QuerySet["Visit"]):
    def in_year(self, year: int) -> VisitQuerySet:
        return self.filter(visited_on__year=year)

    def in_month(self, year: int, month: int) -> VisitQuerySet:
        return self.filter(visited_on__year=year, visited_on__month=month)

    def between(self, start: dt.date | None, end: dt.date | None) -> VisitQuerySet:
        qs = self
        if start:
            qs = qs.filter(visited_on__gte=start)
        if end:
            qs = qs.filter(visited_on__lte=end)
        return qs

    def with_opinions(self) -> VisitQuerySet:
        return self.filter(Exists(Opinion.objects.filter(visit=OuterRef("pk"))))

    def counted_by(self, methods: list[str]) -> VisitQuerySet:
        return self.filter(method__in=methods)


class Visit(models.Model):
    """One visit (走访): to a registered household, a voter received at a liaison station, or a forum.

    The deputies who took part are each credited with it; a visit by cadres alone credits nobody.
    """

    # Indexed by the two indexes below, which both lead with the town.
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, related_name="visits", verbose_name=_("town"), db_index=False
    )
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="visits", verbose_name=_("village"))
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("household"),
    )
    voter_name = models.CharField(
        _("voter not in the register"),
        max_length=30,
        blank=True,
        help_text=_("Only for a reception at a liaison station"),
    )
    visited_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    notes = models.TextField(_("notes"), blank=True)
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="visits", verbose_name=_("deputies"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="recorded_visits", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    idempotency_key = models.UUIDField(_("form key"), unique=True, editable=False)

    objects = VisitQuerySet.as_manager()

    access_rule = AccessRule(town="town", village="village", deputy="deputies")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=[m.value for m in VisitMethod]), name="visit_method_valid"),
            models.CheckConstraint(
                condition=~Q(method="household") | Q(household__isnull=False),
                name="visit_household_visit_has_household",
            ),
            models.CheckConstraint(
                condition=Q(voter_name="") | Q(household__isnull=True, method="station"),
                name="visit_unregistered_voter_only_at_station",
            ),
        ]
        indexes = [
            # The ledger pages through a town's visits in date order: an index-only walk that can test
            # the method and village filters without reading the table.
            models.Index(fields=["town", "visited_on", "id"], include=["method", "village"], name="visit_ledger_order"),
            # The ledger's count of a town's visits by one method since a day (its usual filter): a range
            # of this index, read without the table; the town's own index walked every visit of the town.
            models.Index(fields=["town", "method", "visited_on"], name="visit_town_method_date"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("visits:visit_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.village_id and self.town_id and self.village.town_id != self.town_id:
            errors["village"] = _("The village belongs to another town.")
        if self.household_id:
            household = self.household
            assert household is not None  # loaded by its id, which is set
            if household.town_id != self.town_id:
                errors["household"] = _("The household belongs to another town.")
            elif self.village_id and household.village_id != self.village_id:
                errors["household"] = _("The household is in another village.")
        elif self.method == VisitMethod.HOUSEHOLD:
            errors["household"] = _("A household visit needs a household from the register.")
        if self.voter_name and (self.household_id or self.method != VisitMethod.STATION):
            errors["voter_name"] = _("Only a reception at a liaison station may name a voter not in the register.")
        if errors:
            raise ValidationError(errors)

    @property
    def subject(self) -> str:
        if self.household_id:
            household = self.household
            assert household is not None  # loaded by its id, which is set
            return household.head_name
        return self.voter_name or self.get_method_display()


class OpinionCategoryQuerySet(models.QuerySet["OpinionCategory"]):
    def active(self) -> OpinionCategoryQuerySet:
        return self.filter(is_active=True)

    # `self` annotated: left bare, django-stubs types it with the queryset's model unbound, and bulk_create
    # then refuses the categories.
    def for_town(self: OpinionCategoryQuerySet, town: Town) -> OpinionCategoryQuerySet:
        """The town's categories, seeded with DOMAIN.md's list the first time a town asks."""
        qs = self.filter(town=town)
        if not qs.exists():
            self.bulk_create(
                [
                    OpinionCategory(town=town, name=name, position=i)
                    for i, name in enumerate(DEFAULT_OPINION_CATEGORIES)
                ],
                ignore_conflicts=True,
            )
        return qs.all()


class OpinionCategory(models.Model):
    """A category of opinions (意见建议类别), kept per town by the office."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="opinion_categories", verbose_name=_("town"))
    name = models.CharField(_("name"), max_length=30)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = OpinionCategoryQuerySet.as_manager()

    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    class Meta:
        verbose_name = _("opinion category")
        verbose_name_plural = _("opinion categories")
        ordering = ["town_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="opinion_category_unique_in_town"),
        ]

    def __str__(self) -> str:
        return self.name


class SummaryItem(models.Model):
    """A summary item (汇总事项): opinions on the same need, merged; livelihood projects trace back here."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CANDIDATE = "candidate", _("candidate for a livelihood project")
        REFERRED = "referred", _("referred to a department")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="summary_items", verbose_name=_("town"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        OpinionCategory, on_delete=models.PROTECT, related_name="summary_items", verbose_name=_("category")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summary_items",
        verbose_name=_("department"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="summary_items", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    access_rule = AccessRule(town="town", department="department", town_wide=frozenset({Role.DEPUTY}))

    class Meta:
        verbose_name = _("summary item")
        verbose_name_plural = _("summary items")
        ordering = ["town_id", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "candidate", "referred", "answered", "closed"]),
                name="summary_item_status_valid",
            ),
            models.CheckConstraint(condition=Q(status="open") | ~Q(reason=""), name="summary_item_reason_given"),
            models.CheckConstraint(
                condition=~Q(status="referred") | Q(department__isnull=False), name="summary_item_referred_to_someone"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("visits:summary_detail", args=[self.pk])

    def clean(self) -> None:
        if self.category_id and self.town_id and self.category.town_id != self.town_id:
            raise ValidationError({"category": _("The category belongs to another town.")})
        if self.department_id and self.town_id:
            department = self.department
            assert department is not None  # loaded by its id, which is set
            if department.town_id != self.town_id:
                raise ValidationError({"department": _("The department belongs to another town.")})


class OpinionQuerySet(models.QuerySet["Opinion"]):
    def untriaged(self) -> OpinionQuerySet:
        return self.filter(status=Opinion.Status.NEW)

    def of_town(self, town: Town) -> OpinionQuerySet:
        return self.filter(visit__town=town)


class Opinion(models.Model):
    """An opinion or suggestion (意见建议) heard on a visit, and how the office has triaged it."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        PRESSING = "pressing", _("pressing")
        URGENT = "urgent", _("urgent")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        MERGED = "merged", _("merged into a summary item")
        CANDIDATE = "candidate", _("candidate for a livelihood project")
        REFERRED = "referred", _("referred to a department")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    # Indexed by opinion_visit_category below, which leads with the visit.
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("visit"), db_index=False
    )
    category = models.ForeignKey(
        OpinionCategory, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("category")
    )
    text = models.TextField(_("opinion"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    reason = models.TextField(_("reason"), blank=True)
    summary_item = models.ForeignKey(
        SummaryItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("summary item"),
    )

    objects = OpinionQuerySet.as_manager()

    access_rule = AccessRule(town="visit__town", village="visit__village", deputy="visit__deputies")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["visit_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["new", "merged", "candidate", "referred", "answered", "closed"]),
                name="opinion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=["normal", "pressing", "urgent"]), name="opinion_urgency_valid"
            ),
            models.CheckConstraint(condition=Q(status="new") | ~Q(reason=""), name="opinion_reason_given"),
            models.CheckConstraint(
                condition=~Q(status__in=["merged", "candidate"]) | Q(summary_item__isnull=False),
                name="opinion_merged_into_an_item",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="opinion_has_text"),
        ]
        indexes = [
            models.Index(fields=["status"], name="opinion_status"),
            # The dashboard counts a year's opinions by category from the year's visits: with the category
            # in the index that is an index-only probe per visit, not a scan of every opinion.
            models.Index(fields=["visit", "category"], name="opinion_visit_category"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def clean(self) -> None:
        if self.category_id and self.visit_id and self.category.town_id != self.visit.town_id:
            raise ValidationError({"category": _("The category belongs to another town.")})


if TYPE_CHECKING:

    class PairVisits(TypedDict):
        """What PairingQuerySet.with_last_visit annotates a pair with."""

        last_visit_on: dt.date | None
        next_visit_due: dt.date

    AnnotatedPairing = WithAnnotations["Pairing", PairVisits]


class PairingQuerySet(models.QuerySet["Pairing"]):
    def active_on(self, day: dt.date) -> PairingQuerySet:
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day))

    # `self` annotated as in OpinionCategoryQuerySet.for_town.
    def with_last_visit(self: PairingQuerySet) -> PairingQuerySet[AnnotatedPairing, AnnotatedPairing]:
        """Annotate `last_visit_on` (the pair's latest visit) and `next_visit_due` (date)."""
        last = (
            Visit.objects.filter(household=OuterRef("household"), deputies=OuterRef("deputy"))
            .order_by()
            .values("household")
            .annotate(latest=Max("visited_on"))
            .values("latest")
        )
        return self.annotate(last_visit_on=Subquery(last, output_field=models.DateField())).annotate(
            next_visit_due=AddDays(Coalesce("last_visit_on", "started_on"), F("expected_every_days"))
        )

    def overdue_on(self, day: dt.date) -> PairingQuerySet:
        return self.active_on(day).with_last_visit().filter(next_visit_due__lt=day)


class Pairing(models.Model):
    """Pairing assistance (结对帮扶): a deputy looks after a vulnerable household with regular visits."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("town"))
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("deputy"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("household")
    )
    started_on = models.DateField(_("paired from"))
    ended_on = models.DateField(_("paired until"), null=True, blank=True)
    expected_every_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = PairingQuerySet.as_manager()

    access_rule = AccessRule(town="town", village="household__village", deputy="deputy")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["town_id", "deputy_id", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "household"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_open_pair",
            ),
            models.CheckConstraint(
                condition=Q(expected_every_days__gte=1, expected_every_days__lte=366), name="pairing_frequency_sane"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="pairing_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} — {self.household}"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.deputy_id and self.town_id and self.deputy.town_id != self.town_id:
            errors["deputy"] = _("The deputy belongs to another town.")
        if self.household_id and self.town_id and self.household.town_id != self.town_id:
            errors["household"] = _("The household belongs to another town.")
        if errors:
            raise ValidationError(errors)


class MediationCaseQuerySet(models.QuerySet["MediationCase"]):
    def in_year(self, year: int) -> MediationCaseQuerySet:
        return self.filter(occurred_on__year=year)


class MediationCase(models.Model):
    """A dispute a deputy helped mediate (矛盾调解), described with no more personal data than needed."""

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        IN_PROGRESS = "in_progress", _("in mediation")
        TRANSFERRED = "transferred", _("transferred")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("town"))
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("village")
    )
    occurred_on = models.DateField(_("date"))
    dispute = models.TextField(_("dispute"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    deputies = models.ManyToManyField(Deputy, blank=True, related_name="mediation_cases", verbose_name=_("deputies"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MediationCaseQuerySet.as_manager()

    access_rule = AccessRule(town="town", village="village", deputy="deputies")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["town_id", "-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["resolved", "in_progress", "transferred"]), name="mediation_outcome_valid"
            ),
            models.CheckConstraint(condition=~Q(dispute=""), name="mediation_dispute_described"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.village}"

    def clean(self) -> None:
        if self.village_id and self.town_id and self.village.town_id != self.town_id:
            raise ValidationError({"village": _("The village belongs to another town.")})


class HouseholdExport(models.Model):
    """A record of every register export: who took which households, and whether phones were in full."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="household_exports", verbose_name=_("town"))
    exported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="household_exports", verbose_name=_("exported by")
    )
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    full_phones = models.BooleanField(_("phones in full"))
    rows = models.PositiveIntegerField(_("rows"))
    filters = models.CharField(_("filters"), max_length=500, blank=True)

    access_rule = AccessRule(town="town")

    class Meta:
        verbose_name = _("household register export")
        verbose_name_plural = _("household register exports")
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return f"{self.exported_at:%Y-%m-%d %H:%M} {self.exported_by}"


class TriageStep(models.Model):
    """One step of triage (分办) with its reason: the trail from an opinion to its outcome."""

    summary_item = models.ForeignKey(
        SummaryItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("summary item"),
    )
    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, null=True, blank=True, related_name="steps", verbose_name=_("opinion")
    )
    status = models.CharField(_("status"), max_length=12)
    reason = models.TextField(_("reason"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    access_rule = AccessRule(town="summary_item__town")

    class Meta:
        verbose_name = _("triage step")
        verbose_name_plural = _("triage steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(summary_item__isnull=False) | Q(opinion__isnull=False), name="triage_step_has_subject"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="triage_step_reason_given"),
        ]

    def __str__(self) -> str:
        return f"{self.status}: {self.reason[:30]}"


class DeputyMonthTally(models.Model):
    """How many visits a deputy took part in, per month and method: the quota's monthly figures.

    Kept up by visits.tallies in the transaction that records the visit; `manage.py rebuild_visit_tallies`
    recounts it from the visits.
    """

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="+", verbose_name=_("deputy"))
    month = models.DateField(_("month"))  # its first day
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("deputy's visits in a month")
        verbose_name_plural = _("deputies' visits by month")
        constraints = [
            models.UniqueConstraint(fields=["deputy", "month", "method"], name="deputy_month_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.month:%Y-%m} {self.method}: {self.visits}"


class DeputyHouseholdTally(models.Model):
    """The households a deputy visited in a year, per method, with how many visits: the quota's households.

    Kept up and rebuilt like DeputyMonthTally.
    """

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="+", verbose_name=_("deputy"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+", verbose_name=_("household"))
    year = models.PositiveSmallIntegerField(_("year"))
    method = models.CharField(_("method"), max_length=20, choices=VisitMethod.choices)
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("deputy's visited household in a year")
        verbose_name_plural = _("deputies' visited households by year")
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "year", "method", "household"], name="deputy_household_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.year} {self.method} household {self.household_id}: {self.visits}"

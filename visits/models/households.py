"""The household register (住户): households, how they are searched and ordered, and the record of every
export of the register."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.models import Town, User, Village
from congress.models.fields import PhoneField
from congress.privacy import mask_phone
from congress.roles import Role
from visits.models.visits import Visit

PINYIN_COLLATION = "zh-Hans-x-icu"


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
    phone = PhoneField(_("phone"), blank=True)
    size = models.PositiveSmallIntegerField(_("household size"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RESIDENT)
    lives_alone_elderly = models.BooleanField(_("elderly living alone"), default=False)
    limited_mobility = models.BooleanField(_("limited mobility"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The day the household moved out or was deregistered (empty while resident), from which the plan's
    # retention counts; and the day its personal fields were erased (visits.retention).
    left_on = models.DateField(_("left on"), null=True, blank=True, editable=False)
    erased_on = models.DateField(_("personal data erased on"), null=True, blank=True, editable=False)

    objects = HouseholdQuerySet.as_manager()

    # Deputies look households up across the town to record visits; phones stay masked for them.
    access_rule = AccessRule(town="town", village="village", town_wide=frozenset({Role.DEPUTY}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["town_id", "village_id", "address", "pk"]
        constraints = [
            # Erased households all carry the same placeholder name and no address: only the others are unique.
            models.UniqueConstraint(
                fields=["village", "address", "head_name"],
                condition=Q(erased_on__isnull=True),
                name="household_unique_in_village",
            ),
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=50), name="household_size_sane"),
            models.CheckConstraint(
                condition=Q(status__in=["resident", "moved_out", "deregistered"]), name="household_status_valid"
            ),
            models.CheckConstraint(condition=~Q(head_name=""), name="household_head_named"),
            models.CheckConstraint(
                condition=Q(status="resident", left_on__isnull=True) | ~Q(status="resident"),
                name="household_resident_has_not_left",
            ),
        ]
        indexes = [models.Index(fields=["town", "village"], name="household_town_village")]

    def __str__(self) -> str:
        return f"{self.head_name}（{self.address}）"

    def get_absolute_url(self) -> str:
        return reverse("visits:household_detail", args=[self.pk])

    def clean(self) -> None:
        if self.village_id and self.town_id and self.village.town_id != self.town_id:
            raise ValidationError({"village": _("The village belongs to another town.")})

    def note_status(self, day: dt.date) -> None:
        """Keep `left_on` with the status: set on the day a household stops being resident, kept while it
        stays away (a move-out then a deregistration counts from the first), cleared if it comes back."""
        if self.status == self.Status.RESIDENT:
            self.left_on = None
        elif self.left_on is None:
            self.left_on = day

    @property
    def is_erased(self) -> bool:
        return self.erased_on is not None

    @property
    def is_vulnerable(self) -> bool:
        return self.lives_alone_elderly or self.limited_mobility

    @property
    def shown_phone(self) -> str:
        """The phone as lists show it to everyone, masked (138****5678); whoever may see it in full asks
        for it with a reveal (visits.privacy)."""
        return mask_phone(self.phone)


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

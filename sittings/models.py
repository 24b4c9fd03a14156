"""The congress sessions of a town (人代会): agenda and report items, budget figures, attendance.

The tables kept the names they had when these models lived in congress (`db_table`), so moving them
here changed no row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.access import AccessRule
from congress.concurrency import version_field
from congress.models import Deputy, Town
from congress.models.fields import LONG_TEXT, TEXT, BoundedTextField, year_in_range
from congress.roles import Role


class Session(models.Model):
    """A session of the town congress (镇人代会): by default one in February and one in July.

    The vote on livelihood projects (票决) lives in supervision and points here.
    """

    class Kind(models.TextChoices):
        FEBRUARY = "february", _("February session")
        JULY = "july", _("July session")
        EXTRA = "extra", _("extra session")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("For example: the fifth meeting of the 18th congress")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    # Moved on by each save of the attendance page, so two editors of the attendance never overwrite each other.
    version = version_field()

    access_rule = AccessRule(town="town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        db_table = "congress_session"
        ordering = ["town_id", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "year", "kind"],
                condition=~Q(kind="extra"),
                name="session_one_regular_per_kind_and_year",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(kind__in=["february", "july", "extra"]), name="session_kind_valid"),
            year_in_range("session_year_sane"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.year} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.year and self.starts_on.year != self.year:
            raise ValidationError({"starts_on": _("The session must start in its year.")})


class AgendaItem(models.Model):
    """One item of a session's agenda: a report with its reporter, document, deliberation opinions
    (审议意见) and resolution (决议)."""

    class Kind(models.TextChoices):
        GOVERNMENT_REPORT = "government_report", _("government work report")
        CONGRESS_REPORT = "congress_report", _("congress work report")
        BUDGET_REPORT = "budget_report", _("budget and final accounts report")
        LIVELIHOOD_PLAN = "livelihood_plan", _("plan of livelihood projects")
        HALF_YEAR_REPORT = "half_year_report", _("half-year economic and social development report")
        DEPUTY_MAYOR_REPORT = "deputy_mayor_report", _("deputy mayor's special work report")
        OTHER = "other", _("other")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items", verbose_name=_("session"))
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    reporter = models.CharField(_("reporter"), max_length=60, blank=True)
    document = BoundedTextField(_("document"), blank=True, max_length=LONG_TEXT)
    deliberation_opinions = BoundedTextField(_("deliberation opinions"), blank=True, max_length=TEXT)
    resolution = BoundedTextField(_("resolution"), blank=True, max_length=TEXT)
    # Moved on by each save of the item with its budget figures (the figures are edited as one set).
    version = version_field()

    access_rule = AccessRule(town="session__town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        db_table = "congress_agendaitem"
        ordering = ["session_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="agenda_item_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """A key figure of the budget report (万元): a total or a main category, this year against last;
    the July session adds execution to date."""

    class Side(models.TextChoices):
        REVENUE = "revenue", _("revenue")
        EXPENDITURE = "expenditure", _("expenditure")

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("agenda item")
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    category = models.CharField(_("category"), max_length=60, help_text=_("For example: general public services"))
    is_total = models.BooleanField(_("total"), default=False)
    last_year = models.DecimalField(_("last year (10,000 yuan)"), max_digits=14, decimal_places=2)
    this_year = models.DecimalField(_("this year (10,000 yuan)"), max_digits=14, decimal_places=2)
    executed_to_date = models.DecimalField(
        _("executed to date (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    access_rule = AccessRule(town="item__session__town", town_wide=frozenset({Role.DEPUTY, Role.DEPARTMENT}))

    class Meta:
        verbose_name = _("budget figure")
        verbose_name_plural = _("budget figures")
        db_table = "congress_budgetline"
        ordering = ["item_id", "side", "-is_total", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "side", "category"], name="budget_line_category_unique"),
            models.UniqueConstraint(
                fields=["item", "side"], condition=Q(is_total=True), name="budget_line_one_total_per_side"
            ),
            models.CheckConstraint(condition=Q(side__in=["revenue", "expenditure"]), name="budget_line_side_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.category}"

    @property
    def change(self) -> Any:
        return self.this_year - self.last_year

    @property
    def change_percent(self) -> Any:
        return round(100 * (self.this_year - self.last_year) / self.last_year, 1) if self.last_year else None

    @property
    def executed_percent(self) -> Any:
        if self.executed_to_date is None or not self.this_year:
            return None
        return round(100 * self.executed_to_date / self.this_year, 1)


class Attendance(models.Model):
    """Whether a deputy attended a session: 出席, 请假 or 缺席."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LEAVE = "leave", _("on leave")
        ABSENT = "absent", _("absent")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session"))
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("deputy"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    access_rule = AccessRule(town="session__town", deputy="deputy")

    history = HistoricalRecords(table_name="congress_historicalattendance")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        db_table = "congress_attendance"
        ordering = ["session_id", "deputy__constituency__number", "deputy__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "deputy"], name="attendance_once_per_deputy"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "leave", "absent"]), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_status_display()}"

"""Where records belong (district, town, village, constituency, liaison station), who the people are
(deputies, departments, users and their roles), the year's numbers (AnnualPlan) and protected files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.concurrency import version_field
from congress.files import attachment_path, private_storage
from congress.models.fields import PhoneField, optional_link, optional_one_to_one, year_in_range
from congress.roles import EVERY_TOWN_ROLE, AccessRule, Role


class District(models.Model):
    """A district (区): reads its towns side by side."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Town(models.Model):
    """A town (镇/乡): every record of the portal belongs to exactly one."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="towns", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)

    access_rule = AccessRule(town="self")

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="town_name_unique_in_district"),
        ]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village (村) or community (社区) of a town."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("village")
        COMMUNITY = "community", _("community")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="villages", verbose_name=_("town"))
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)

    access_rule = AccessRule(town="town", village="self", town_wide=EVERY_TOWN_ROLE - {Role.VILLAGE_CADRE})

    class Meta:
        verbose_name = _("village or community")
        verbose_name_plural = _("villages and communities")
        ordering = ["town_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="village_name_unique_in_town"),
            models.CheckConstraint(condition=Q(kind__in=["village", "community"]), name="village_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    """An electoral district (选区): covers one or more villages and elects 1 to 3 deputies."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="constituencies", verbose_name=_("town"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=80)
    villages = models.ManyToManyField(Village, related_name="constituencies", verbose_name=_("villages covered"))
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    version = version_field()  # its edit form, villages included, is checked against it

    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering = ["town_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["town", "number"], name="constituency_number_unique_in_town"),
            models.CheckConstraint(condition=Q(seats__gte=1, seats__lte=3), name="constituency_seats_1_to_3"),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A government office or unit (科室/单位) that leads projects and answers suggestions."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="departments", verbose_name=_("town"))
    name = models.CharField(_("name"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)

    access_rule = AccessRule(town="town", department="self", town_wide=EVERY_TOWN_ROLE - {Role.DEPARTMENT})

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["town_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="department_name_unique_in_town"),
        ]

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):
    """The Deputies' Home (代表之家) or a Deputy Liaison Station (代表联络站)."""

    class Kind(models.TextChoices):
        HOME = "home", _("deputies' home")
        STATION = "station", _("liaison station")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="venues", verbose_name=_("town"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    village = optional_link(Village, related_name="venues", verbose_name=_("village"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    reception_days = models.CharField(
        _("reception days"), max_length=100, blank=True, help_text=_("For example: the 15th of every month")
    )

    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["town_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["town", "name"], name="venue_name_unique_in_town"),
            models.CheckConstraint(condition=Q(kind__in=["home", "station"]), name="venue_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class DeputyQuerySet(models.QuerySet["Deputy"]):
    def serving_on(self, day: dt.date) -> DeputyQuerySet:
        return self.filter(Q(served_from__lte=day), Q(served_until__isnull=True) | Q(served_until__gte=day))

    def serving_in_year(self, year: int) -> DeputyQuerySet:
        return self.filter(
            Q(served_from__lte=dt.date(year, 12, 31)),
            Q(served_until__isnull=True) | Q(served_until__gte=dt.date(year, 1, 1)),
        )

    def serving_now(self) -> DeputyQuerySet:
        return self.serving_on(timezone.localdate())


class Deputy(models.Model):
    """A deputy (人大代表) of a town congress. Kept after they leave office (served_until)."""

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("town"))
    name = models.CharField(_("name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    phone = PhoneField(_("phone"), blank=True)
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("constituency")
    )
    term = models.PositiveSmallIntegerField(_("term"), help_text=_("The congress term number, e.g. 18"))
    is_first_term = models.BooleanField(_("first term"), default=False)
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    served_from = models.DateField(_("in office from"))
    served_until = models.DateField(_("in office until"), null=True, blank=True)
    # By name: User is declared below.
    user: models.OneToOneField[User | None, User | None] = optional_one_to_one(
        "congress.User", on_delete=models.SET_NULL, related_name="deputy", verbose_name=_("login account")
    )

    objects = DeputyQuerySet.as_manager()

    access_rule = AccessRule(town="town", deputy="self", town_wide=frozenset({Role.VILLAGE_CADRE}))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["town_id", "constituency__number", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(served_until__isnull=True) | Q(served_until__gte=models.F("served_from")),
                name="deputy_served_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900, birth_year__lte=2100), name="deputy_birth_year_sane"
            ),
            models.CheckConstraint(condition=Q(gender__in=["M", "F"]), name="deputy_gender_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("congress:deputy_detail", args=[self.pk])

    def clean(self) -> None:
        if self.constituency_id and self.town_id and self.constituency.town_id != self.town_id:
            raise ValidationError({"constituency": _("The constituency belongs to another town.")})

    def is_serving_on(self, day: dt.date) -> bool:
        return self.served_from <= day and (self.served_until is None or self.served_until >= day)


class User(AbstractUser):
    """A login account. Its role and its town (or village, deputy, department, district) fix its scope."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    town = optional_link(Town, related_name="users", verbose_name=_("town"))
    village = optional_link(Village, related_name="users", verbose_name=_("village"))
    department = optional_link(Department, related_name="users", verbose_name=_("department"))
    district = optional_link(District, related_name="users", verbose_name=_("district"))
    full_name = models.CharField(_("full name"), max_length=30, blank=True)
    phone = PhoneField(_("phone"), blank=True)
    # Set when staff open the account or reset its password: the temporary password they handed over
    # must be replaced at the first sign-in (等保: no shared password stays in use).
    must_change_password = models.BooleanField(_("must change password at next sign-in"), default=False)

    access_rule = AccessRule(town="town")

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="")
                | Q(role__in=["staff", "chairman", "deputy"], town__isnull=False)
                | Q(role="village_cadre", town__isnull=False, village__isnull=False)
                | Q(role="department", town__isnull=False, department__isnull=False)
                | Q(role="district", district__isnull=False),
                name="user_role_has_its_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        village, department = self.village, self.department
        if village is not None and self.town_id and village.town_id != self.town_id:
            raise ValidationError({"village": _("The village belongs to another town.")})
        if department is not None and self.town_id and department.town_id != self.town_id:
            raise ValidationError({"department": _("The department belongs to another town.")})


def default_counted_methods() -> list[str]:
    return ["household", "station", "forum"]


def default_review_months() -> list[int]:
    return [2, 4, 6, 8, 10, 12]


def default_session_months() -> list[int]:
    return [2, 7]


def default_points_table() -> dict[str, int]:
    return {
        "session_attended": 2,
        "session_absent_without_leave": -1,
        "visit": 1,
        "suggestion": 3,
        "inspection": 3,
        "training": 2,
        "group_activity": 2,
        "report_back": 3,
        "mediation": 2,
        "pairing": 2,
        "commendation": 5,
        "lecture": 2,
        "reception": 1,
        "key_project": 3,
        "law_inspection": 3,
    }


# The range each number of the plan may take: wide enough for any town, narrow enough that a slip of the
# keyboard (an extra zero, a minus sign) is caught on its field instead of reaching the pages that read it.
PLAN_NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "visits_per_month": (0, 31),
    "households_per_year": (0, 1000),
    "served_month_min_days": (1, 31),
    "pairing_visit_every_days": (1, 366),
    "key_projects_min": (0, 20),
    "key_projects_max": (0, 20),
    "evaluations_per_year": (0, 20),
    "law_inspections_min": (0, 20),
    "law_inspections_max": (0, 20),
    "light_amber_gap": (0, 100),
    "light_red_gap": (0, 100),
    "suggestion_reply_months": (1, 12),
    "suggestion_reply_max_months": (1, 24),
    "suggestion_redo_months": (1, 12),
    "deputy_mayor_reports": (0, 20),
    "quorum_numerator": (1, 100),
    "quorum_denominator": (1, 100),
    "vote_pass_numerator": (1, 100),
    "vote_pass_denominator": (1, 100),
    "projects_to_adopt": (1, 100),
    "grade_good_from": (0, 1000),
    "grade_fair_from": (0, 1000),
    "household_retention_months": (1, 120),
}
# Points one activity may earn or cost in the record of duty.
POINTS_RANGE = (-100, 100)


def valid_points(points: object) -> bool:
    """Points one activity may earn or cost: a whole number (not a bool) within POINTS_RANGE."""
    low, high = POINTS_RANGE
    return type(points) is int and low <= points <= high


def points_table_errors(table: object) -> list[str]:
    """What is wrong with a points table: it maps the kinds of the default table to whole numbers in range."""
    if not isinstance(table, dict):
        return [str(_('Write the points table as pairs of a kind and its points, e.g. {"visit": 1}.'))]
    known = default_points_table()
    errors = []
    unknown = sorted(str(key) for key in table if key not in known)
    if unknown:
        errors.append(
            str(_("Unknown kinds: %(kinds)s. The kinds are: %(known)s."))
            % {"kinds": "、".join(unknown), "known": "、".join(known)}
        )
    low, high = POINTS_RANGE
    for key, points in table.items():
        if key in known and not valid_points(points):
            errors.append(
                str(_("“%(kind)s”: a whole number from %(low)s to %(high)s.")) % {"kind": key, "low": low, "high": high}
            )
    return errors


class VisitMethod(models.TextChoices):
    """How a visit was made; the plan says which count toward the quota (by default not phone calls)."""

    HOUSEHOLD = "household", _("household visit")
    PHONE = "phone", _("phone call")
    STATION = "station", _("liaison station reception")
    FORUM = "forum", _("group forum")


class AnnualPlanQuerySet(models.QuerySet["AnnualPlan"]):
    def for_town_year(self, town: Town | int, year: int) -> AnnualPlan:
        """The town's plan for the year, or the DOMAIN.md defaults (unsaved) when none was written."""
        town_id = town if isinstance(town, int) else town.pk
        plan = self.filter(town_id=town_id, year=year).first()
        return plan or AnnualPlan(town_id=town_id, year=year)


class AnnualPlan(models.Model):
    """Every number and threshold of a town's year (年度工作计划): later features read theirs here."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="plans", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))

    # Visits (大走访)
    visits_per_month = models.PositiveSmallIntegerField(_("visits per month"), default=2)
    households_per_year = models.PositiveSmallIntegerField(_("households per year"), default=50)
    counted_visit_methods = ArrayField(
        models.CharField(max_length=20, choices=VisitMethod.choices),
        default=default_counted_methods,
        verbose_name=_("visit methods that count"),
    )
    served_month_min_days = models.PositiveSmallIntegerField(_("days in office for a month to count"), default=15)
    pairing_visit_every_days = models.PositiveSmallIntegerField(_("pairing visit every (days)"), default=30)

    # Supervision
    key_projects_min = models.PositiveSmallIntegerField(_("key projects, at least"), default=2)
    key_projects_max = models.PositiveSmallIntegerField(_("key projects, at most"), default=3)
    review_months = ArrayField(
        models.PositiveSmallIntegerField(), default=default_review_months, verbose_name=_("review months")
    )
    evaluations_per_year = models.PositiveSmallIntegerField(_("department evaluations per year"), default=2)
    law_inspections_min = models.PositiveSmallIntegerField(_("law inspections, at least"), default=1)
    law_inspections_max = models.PositiveSmallIntegerField(_("law inspections, at most"), default=2)
    light_amber_gap = models.PositiveSmallIntegerField(_("amber light from (percentage points behind plan)"), default=5)
    light_red_gap = models.PositiveSmallIntegerField(_("red light from (percentage points behind plan)"), default=15)

    # Suggestions (代表建议)
    suggestion_reply_months = models.PositiveSmallIntegerField(_("suggestion answer due (months)"), default=3)
    suggestion_reply_max_months = models.PositiveSmallIntegerField(
        _("suggestion answer due at most (months)"), default=6
    )
    suggestion_redo_months = models.PositiveSmallIntegerField(_("new answer due after rating (months)"), default=1)

    # Sessions (人代会)
    session_months = ArrayField(
        models.PositiveSmallIntegerField(), default=default_session_months, verbose_name=_("session months")
    )
    deputy_mayor_reports = models.PositiveSmallIntegerField(_("deputy mayors' special reports"), default=2)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    vote_pass_numerator = models.PositiveSmallIntegerField(_("vote pass numerator"), default=1)
    vote_pass_denominator = models.PositiveSmallIntegerField(_("vote pass denominator"), default=2)
    projects_to_adopt = models.PositiveSmallIntegerField(_("livelihood projects to adopt"), default=10)

    # Record of duty (履职档案)
    points_table = models.JSONField(_("record-of-duty points"), default=default_points_table)
    grade_good_from = models.PositiveSmallIntegerField(_("grade good from (points)"), default=80)
    grade_fair_from = models.PositiveSmallIntegerField(_("grade fair from (points)"), default=60)

    # Personal data (个人信息): how long a household that moved out or was deregistered keeps its
    # personal fields after it left; then visits.retention erases them (docs/security.md).
    household_retention_months = models.PositiveSmallIntegerField(
        _("personal data of households that left kept for (months)"), default=36
    )

    objects = AnnualPlanQuerySet.as_manager()

    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["town_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="plan_unique_per_town_year"),
            year_in_range("plan_year_sane"),
            models.CheckConstraint(
                condition=Q(key_projects_min__lte=models.F("key_projects_max")), name="plan_key_projects_range"
            ),
            models.CheckConstraint(
                condition=Q(law_inspections_min__lte=models.F("law_inspections_max")),
                name="plan_law_inspections_range",
            ),
            models.CheckConstraint(
                condition=Q(suggestion_reply_months__lte=models.F("suggestion_reply_max_months")),
                name="plan_suggestion_reply_within_max",
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0, quorum_numerator__lte=models.F("quorum_denominator")),
                name="plan_quorum_fraction",
            ),
            models.CheckConstraint(
                condition=Q(vote_pass_denominator__gt=0, vote_pass_numerator__lte=models.F("vote_pass_denominator")),
                name="plan_vote_pass_fraction",
            ),
            models.CheckConstraint(
                condition=Q(light_amber_gap__lte=models.F("light_red_gap")), name="plan_light_gaps_ordered"
            ),
            models.CheckConstraint(
                condition=Q(grade_fair_from__lte=models.F("grade_good_from")), name="plan_grades_ordered"
            ),
            models.CheckConstraint(
                condition=Q(served_month_min_days__gte=1, served_month_min_days__lte=31),
                name="plan_served_month_days_sane",
            ),
        ]

    def __str__(self) -> str:
        return _("%(town)s plan for %(year)s") % {"town": self.town, "year": self.year}

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("review_months", "session_months"):
            months = getattr(self, field) or []
            if any(m < 1 or m > 12 for m in months):
                errors[field] = _("Months must be between 1 and 12.")
        for field, (low, high) in PLAN_NUMBER_RANGES.items():
            value = getattr(self, field)
            if value is not None and not low <= value <= high:
                errors[field] = _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        table_errors = points_table_errors(self.points_table)
        if table_errors:
            errors["points_table"] = table_errors
        if errors:
            raise ValidationError(errors)

    def points_for(self, kind: str) -> int:
        """The points one `kind` of activity earns; a value the rules refuse counts 0, so a row stored before
        the rules (see `manage.py check_stored_data`) cannot break the pages that read it."""
        points = self.points_table.get(kind, 0) if isinstance(self.points_table, dict) else 0
        return points if valid_points(points) else 0

    def settle_refused(self) -> list[str]:
        """Put each value the rules refuse (clean) back to its default: a number out of its range, an entry
        of the points table of an unknown kind (dropped) or of a refused value (reset). The fields changed;
        nothing is saved."""
        changed = []
        default = AnnualPlan()  # an unsaved plan holds every field's default
        for field, (low, high) in PLAN_NUMBER_RANGES.items():
            value = getattr(self, field)
            if value is None or not low <= value <= high:
                setattr(self, field, getattr(default, field))
                changed.append(field)
        defaults = default_points_table()
        table = self.points_table if isinstance(self.points_table, dict) else {}
        settled = {
            key: value if valid_points(value) else defaults[key] for key, value in table.items() if key in defaults
        }
        if settled != self.points_table:
            self.points_table = settled
            changed.append("points_table")
        return changed

    def quorum(self, deputies: int) -> int:
        """Fewest deputies present for a session to be held (以上 includes the number itself)."""
        return -(-deputies * self.quorum_numerator // self.quorum_denominator)

    def votes_to_pass(self, deputies: int) -> int:
        """Fewest votes that pass an item: strictly more than the fraction of all deputies."""
        return deputies * self.vote_pass_numerator // self.vote_pass_denominator + 1


class Attachment(models.Model):
    """An uploaded file (附件): a photo or document attached to a record of a town.

    Stored under a random name in private storage and served only through the `congress:file` view,
    which asks access.py about both the attachment and the record it belongs to.
    """

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("town"))
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=200)
    token = models.CharField(_("download token"), max_length=43, unique=True, editable=False)
    original_name = models.CharField(_("original file name"), max_length=200)
    mime_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        "congress.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="attachments",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # Django's default names, so an owner declares `attachments = GenericRelation(Attachment)` plainly.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("owner type"))
    object_id = models.PositiveBigIntegerField(_("owner id"))
    owner = GenericForeignKey("content_type", "object_id")

    # The attachment itself reads town-wide; the download view narrows it to who may see the owner.
    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_size_positive"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("congress:file", args=[self.token])

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

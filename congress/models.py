"""Core model: where records belong (district, town, village), who the people are (deputies,
departments, users and their roles) and the year's numbers (AnnualPlan)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
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

from congress.files import attachment_path, private_storage
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
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="venues", verbose_name=_("village")
    )
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
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("constituency")
    )
    term = models.PositiveSmallIntegerField(_("term"), help_text=_("The congress term number, e.g. 18"))
    is_first_term = models.BooleanField(_("first term"), default=False)
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    served_from = models.DateField(_("in office from"))
    served_until = models.DateField(_("in office until"), null=True, blank=True)
    user = models.OneToOneField(
        "congress.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("login account"),
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
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("town")
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("village")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("department")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("district")
    )
    full_name = models.CharField(_("full name"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

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

    objects = AnnualPlanQuerySet.as_manager()

    access_rule = AccessRule(town="town", town_wide=EVERY_TOWN_ROLE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["town_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["town", "year"], name="plan_unique_per_town_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="plan_year_sane"),
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
        if errors:
            raise ValidationError(errors)

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


# ---------------------------------------------------------------------------------------------
# Notifications (提醒): the in-app inbox, the outbox of deliveries, channel preferences, working days
# ---------------------------------------------------------------------------------------------


class Channel(models.TextChoices):
    """Where a notification goes besides the in-app inbox, which every notification reaches."""

    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")
    WORK_CHAT = "work_chat", _("work chat")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A reminder or notice to one user (提醒); the row is the inbox entry and its key.

    (recipient, kind, subject, period) is unique: inserting the row claims the reminder, so a sweep run
    twice, two beats or a redelivered task create it once and send it once.
    """

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=60, help_text=_("What it is about, e.g. deputy:12"))
    period = models.CharField(_("period"), max_length=20, help_text=_("For example 2026-11 or 2026-11-20"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    access_rule = AccessRule(town="recipient__town")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject", "period"], name="notification_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """An outbox row: one notification to be sent on one channel, written in the transaction that
    decided to send it and delivered by the relay task. `sent_at` is set once; a sender first claims the
    row with a conditional UPDATE, so two workers never send it twice."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=300, help_text=_("E-mail, phone or webhook URL"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms", "work_chat"]), name="delivery_channel_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="delivery_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification} → {self.get_channel_display()}"


class ChannelPreference(models.Model):
    """Which channels a user wants besides the inbox. Without a row: e-mail only, where they have one."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="channel_preference", verbose_name=_("user")
    )
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    work_chat = models.BooleanField(_("work chat"), default=False)
    work_chat_webhook = models.URLField(
        _("work-chat robot webhook"), blank=True, help_text=_("The group robot address (WeCom or DingTalk)")
    )

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self) -> str:
        return str(self.user)


class WorkingDayOverride(models.Model):
    """A day whose status the office sets by hand (调休, or a year chinese_calendar does not cover yet)."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["day"]

    def __str__(self) -> str:
        return self.day.isoformat()


class AuditAction(models.TextChoices):
    LOGIN = "login", _("sign in")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOGOUT = "logout", _("sign out")
    DENIED = "denied", _("access denied")
    EXPORT = "export", _("export of personal data")
    REVEAL = "reveal", _("personal data revealed")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def older_than(self, moment: dt.datetime) -> AuditEventQuerySet:
        return self.filter(at__lt=moment)


class AuditEvent(models.Model):
    """One entry of the audit trail (审计记录): who did what, from where, to what, with what result.

    Rows are written once and never changed: a database trigger refuses UPDATE and DELETE (only
    `manage.py prune_audit` removes rows, and only those past the six-month floor). The user and town
    are plain references without a constraint, so removing an account never has to rewrite its trail.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        "congress.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    town = models.ForeignKey(
        Town,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    target = models.CharField(_("record concerned"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    access_rule = AccessRule(town="town")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["town", "-at"], name="audit_event_town_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in AuditAction]), name="audit_event_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(result__in=[r.value for r in AuditResult]), name="audit_event_result_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()} {self.target}"

    @property
    def shown_target(self) -> str:
        """The record concerned under its model's label of today.

        Rows are never rewritten, so a row written before its model moved to another app keeps the old
        label (`congress.session:7`); it is shown with the label the model has now (`sittings.session:7`).
        """
        label, colon, key = self.target.partition(":")
        app_label, dot, model_name = label.partition(".")
        if not colon or not dot:
            return self.target
        try:
            django_apps.get_model(app_label, model_name)
        except LookupError:
            found = [
                m
                for m in django_apps.get_models()
                if m._meta.model_name == model_name and m._meta.app_label in settings.PROJECT_APPS
            ]
            if len(found) == 1:
                return f"{found[0]._meta.label_lower}:{key}"
        return self.target


class DisplayLinkQuerySet(models.QuerySet["DisplayLink"]):
    def active(self) -> DisplayLinkQuerySet:
        return self.filter(revoked_at__isnull=True)


class DisplayLink(models.Model):
    """A read-only link to a town's meeting-room display (数据大屏), opened on the wall without signing in,
    so no one's session stays logged in there. Only the SHA-256 of its random token is kept: the link is
    shown once, when it is made. Revoking it ends it for good (see congress.display_links)."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="display_links", verbose_name=_("town"))
    label = models.CharField(_("where it is shown"), max_length=50, help_text=_("For example 三楼会议室"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )

    objects = DisplayLinkQuerySet.as_manager()

    access_rule = AccessRule(town="town")

    class Meta:
        verbose_name = _("display link")
        verbose_name_plural = _("display links")
        ordering = ["town_id", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="display_link_revoked_by_whom",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a hash's shape, not a secret)
                name="display_link_hash_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.town} {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

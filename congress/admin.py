"""The Django admin: for installation superusers only (it is not scoped by town).

Staff keep their town's reference data through the portal's own pages, which go through access.py;
a staff flag alone therefore opens nothing here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from congress.models import (
    AnnualPlan,
    Attachment,
    AuditEvent,
    Constituency,
    Department,
    Deputy,
    District,
    PersonalDataRequest,
    Town,
    User,
    Venue,
    Village,
)
from congress.services import copy_annual_plan


def superusers_only(request: HttpRequest) -> bool:
    """Replaces AdminSite.has_permission, which would let in any active user with is_staff."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = superusers_only  # type: ignore[method-assign]  # the admin is the superuser's
admin.site.site_header = settings.PORTAL_NAME
admin.site.site_title = settings.PORTAL_NAME


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "town_count"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        return super().get_queryset(request).annotate(town_count=Count("towns"))

    @admin.display(description=_("towns"), ordering="town_count")
    def town_count(self, district: District) -> int:
        return district.town_count  # type: ignore[attr-defined]  # annotated in get_queryset


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "district"]
    list_filter = ["district"]
    search_fields = ["name", "slug"]
    list_select_related = ["district"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "town"]
    list_filter = ["kind", "town__district", "town"]
    search_fields = ["name", "town__name"]
    autocomplete_fields = ["town"]
    list_select_related = ["town"]


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "town", "seats", "serving_deputies"]
    list_display_links = ["number", "name"]
    list_filter = ["town", "seats"]
    search_fields = ["name", "villages__name", "town__name"]
    autocomplete_fields = ["town", "villages"]
    list_select_related = ["town"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Constituency]:
        today = timezone.localdate()
        serving = Q(deputies__served_from__lte=today) & (
            Q(deputies__served_until__isnull=True) | Q(deputies__served_until__gte=today)
        )
        return super().get_queryset(request).annotate(serving_count=Count("deputies", filter=serving))

    @admin.display(description=_("deputies in office"), ordering="serving_count")
    def serving_deputies(self, constituency: Constituency) -> int:
        return constituency.serving_count  # type: ignore[attr-defined]  # annotated in get_queryset


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "is_active"]
    list_filter = ["is_active", "town"]
    search_fields = ["name", "town__name"]
    autocomplete_fields = ["town"]
    list_select_related = ["town"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "town", "village", "reception_days"]
    list_filter = ["kind", "town"]
    search_fields = ["name", "address", "village__name"]
    autocomplete_fields = ["town", "village"]
    list_select_related = ["town", "village"]


class InOfficeFilter(admin.SimpleListFilter):
    title = _("in office")
    parameter_name = "in_office"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", gettext("in office today")), ("no", gettext("left office"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Deputy]) -> QuerySet[Deputy]:
        today = timezone.localdate()
        serving = Deputy.objects.serving_on(today).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=serving)
        if self.value() == "no":
            return queryset.exclude(pk__in=serving)
        return queryset


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "town",
        "constituency",
        "gender",
        "birth_year",
        "term",
        "is_first_term",
        "expertise",
        "served_from",
        "served_until",
        "user",
    ]
    list_filter = [InOfficeFilter, "town", "gender", "term", "is_first_term"]
    search_fields = ["name", "phone", "expertise", "constituency__name"]
    autocomplete_fields = ["town", "constituency", "user"]
    list_select_related = ["town", "constituency", "user"]
    date_hierarchy = "served_from"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "full_name",
        "role",
        "town",
        "village",
        "department",
        "district",
        "is_active",
        "is_superuser",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_superuser", "town", "district"]
    search_fields = ["username", "full_name", "phone", "email"]
    autocomplete_fields = ["town", "village", "department", "district"]
    list_select_related = ["town", "village", "department", "district"]
    ordering = ["username"]

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role and scope"), {"fields": ["full_name", "phone", "role", "town", "village", "department", "district"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["full_name", "phone", "role", "town", "village", "department", "district"]}),
    )


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = [
        "town",
        "year",
        "visits_per_month",
        "households_per_year",
        "key_projects_min",
        "key_projects_max",
        "evaluations_per_year",
        "projects_to_adopt",
    ]
    list_filter = ["year", "town__district", "town"]
    search_fields = ["town__name", "year"]
    autocomplete_fields = ["town"]
    list_select_related = ["town"]
    actions = ["copy_to_next_year"]
    fieldsets = [
        (None, {"fields": ["town", "year"]}),
        (
            _("Visits"),
            {
                "fields": [
                    "visits_per_month",
                    "households_per_year",
                    "counted_visit_methods",
                    "served_month_min_days",
                    "pairing_visit_every_days",
                ]
            },
        ),
        (
            _("Supervision"),
            {
                "fields": [
                    ("key_projects_min", "key_projects_max"),
                    "review_months",
                    "evaluations_per_year",
                    ("law_inspections_min", "law_inspections_max"),
                    ("light_amber_gap", "light_red_gap"),
                ]
            },
        ),
        (
            _("Deputies' suggestions"),
            {"fields": ["suggestion_reply_months", "suggestion_reply_max_months", "suggestion_redo_months"]},
        ),
        (
            _("Sessions"),
            {
                "fields": [
                    "session_months",
                    "deputy_mayor_reports",
                    ("quorum_numerator", "quorum_denominator"),
                    ("vote_pass_numerator", "vote_pass_denominator"),
                    "projects_to_adopt",
                ]
            },
        ),
        (_("Record of duty"), {"fields": ["points_table", ("grade_good_from", "grade_fair_from")]}),
        (_("Personal data"), {"fields": ["household_retention_months"]}),
    ]

    @admin.action(description=_("Copy the selected plans to the following year"))
    def copy_to_next_year(self, request: HttpRequest, queryset: QuerySet[AnnualPlan]) -> None:
        copied = 0
        for plan in queryset.select_related("town"):
            try:
                copy_annual_plan(town=plan.town, from_year=plan.year, to_year=plan.year + 1)
            except ValidationError as error:
                self.message_user(request, f"{plan}: {' '.join(error.messages)}", messages.WARNING)
            else:
                copied += 1
        if copied:
            message = ngettext("%(count)d plan copied.", "%(count)d plans copied.", copied) % {"count": copied}
            self.message_user(request, message, messages.SUCCESS)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "town", "mime_type", "size", "uploaded_by", "uploaded_at", "content_type"]
    list_filter = ["town", "mime_type"]
    search_fields = ["original_name"]
    # The file itself has no public URL: the page links to the download view, which asks access.py.
    fields = ("original_name", "download", "town", "mime_type", "size", "uploaded_by", "uploaded_at", "content_type")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj: Attachment) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Download"))

    # Files arrive only through store_upload, which checks them and strips photo metadata.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Attachment | None = None) -> bool:
        return False


# Notifications: the outbox is read-mostly here; working-day overrides are what the office edits.
from congress.models import ChannelPreference, Delivery, Notification, WorkingDayOverride  # noqa: E402


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = [
        "channel",
        "address",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "period", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username", "recipient__full_name", "subject"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "channel", "state", "attempts", "next_attempt_at", "sent_at", "failed_at"]
    list_filter = ["state", "channel"]
    raw_id_fields = ["notification"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms", "work_chat"]
    raw_id_fields = ["user"]


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read only: rows are written by the portal and the database refuses changes."""

    list_display = ["at", "username", "town", "ip", "action", "target", "result"]
    list_filter = ["action", "result", "town"]
    search_fields = ["username", "target", "detail"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


from congress.models import DisplayLink  # noqa: E402


@admin.register(DisplayLink)
class DisplayLinkAdmin(admin.ModelAdmin):
    """Display links are made and revoked on the portal's page (the token is shown only there, once)."""

    list_display = ["label", "town", "created_by", "created_at", "revoked_at"]
    list_filter = ["town", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["label"]
    readonly_fields = ["town", "label", "created_by", "created_at", "revoked_at", "revoked_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(admin.ModelAdmin):
    """Requests about one's personal data are recorded and answered on the portal's pages (the office's
    work, with its checks); the administration reads them."""

    list_display = ["received_on", "town", "kind", "requester", "answered_on"]
    list_filter = ["town", "kind", ("answered_on", admin.EmptyFieldListFilter)]
    date_hierarchy = "received_on"
    readonly_fields = [f.name for f in PersonalDataRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PersonalDataRequest | None = None) -> bool:
        return False

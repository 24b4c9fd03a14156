from django.contrib import admin

from duty.models import Activity, ReceptionDuty


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["held_on", "title", "kind", "town", "venue"]
    list_filter = ["kind", "town"]
    search_fields = ["title", "notes", "town__name"]
    raw_id_fields = ["venue", "participants", "recorded_by"]


@admin.register(ReceptionDuty)
class ReceptionDutyAdmin(admin.ModelAdmin):
    list_display = ["on_date", "venue", "town"]
    list_filter = ["town"]
    search_fields = ["venue__name"]
    raw_id_fields = ["venue", "deputies"]

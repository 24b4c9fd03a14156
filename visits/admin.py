"""Visits in the Django admin (installation superusers only, like the rest of it): to look, not to edit.

Visits are recorded through the portal, where record_visit checks them and keeps the quota's counters
in the same transaction; an edit or a deletion here would bypass both.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from visits.models import Visit


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "town", "village", "household", "method", "recorded_by"]
    list_filter = ["method", "town", "visited_on"]
    list_select_related = ["town", "village", "household", "recorded_by"]
    search_fields = ["household__head_name", "voter_name", "notes"]
    date_hierarchy = "visited_on"
    ordering = ["-visited_on", "-pk"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

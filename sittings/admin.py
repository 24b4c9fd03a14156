from django.contrib import admin

from sittings.models import AgendaItem, Attendance, BudgetLine, Session


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "kind", "title", "reporter"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "town", "year", "kind", "starts_on", "ends_on", "place"]
    list_filter = ["town", "year", "kind"]
    search_fields = ["title", "town__name", "place"]
    inlines = [AgendaItemInline]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "order", "kind", "reporter"]
    list_filter = ["kind", "session__town", "session__year"]
    search_fields = ["title", "reporter", "session__title", "session__town__name"]
    raw_id_fields = ["session"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["item", "side", "category", "is_total", "last_year", "this_year", "executed_to_date"]
    list_filter = ["side", "is_total"]
    search_fields = ["category", "item__title"]
    raw_id_fields = ["item"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "deputy", "status"]
    list_filter = ["status", "session__town", "session__year"]
    search_fields = ["deputy__name", "session__title"]
    raw_id_fields = ["session", "deputy"]

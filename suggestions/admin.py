from django.contrib import admin

from suggestions.models import Suggestion, SuggestionAnswer, SuggestionDepartment, SuggestionEvent, SuggestionProposer


class SuggestionProposerInline(admin.TabularInline):
    model = SuggestionProposer
    extra = 0
    autocomplete_fields = ["deputy"]


class SuggestionDepartmentInline(admin.TabularInline):
    model = SuggestionDepartment
    extra = 0


class SuggestionAnswerInline(admin.StackedInline):
    model = SuggestionAnswer
    extra = 0
    raw_id_fields = ["answered_by", "rated_by"]


class SuggestionEventInline(admin.TabularInline):
    model = SuggestionEvent
    extra = 0
    readonly_fields = ["actor", "at", "action", "from_state", "to_state", "note"]
    can_delete = False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["number", "year", "title", "town", "proposer", "category", "state", "due_on", "supervised"]
    list_filter = ["town", "year", "state", "category", "supervised"]
    search_fields = ["title", "content", "proposer__name", "town__name"]
    raw_id_fields = ["proposer", "entered_by"]
    autocomplete_fields = ["lead_department"]
    inlines = [SuggestionProposerInline, SuggestionDepartmentInline, SuggestionAnswerInline, SuggestionEventInline]


@admin.register(SuggestionProposer)
class SuggestionProposerAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "deputy", "is_lead"]
    search_fields = ["suggestion__title", "deputy__name"]
    raw_id_fields = ["suggestion", "deputy"]


@admin.register(SuggestionDepartment)
class SuggestionDepartmentAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "department", "is_lead"]
    search_fields = ["suggestion__title", "department__name"]
    raw_id_fields = ["suggestion", "department"]


@admin.register(SuggestionAnswer)
class SuggestionAnswerAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "round", "department", "result_class", "due_on", "answered_on", "rating"]
    list_filter = ["result_class", "rating"]
    search_fields = ["suggestion__title", "text", "department__name"]
    raw_id_fields = ["suggestion", "department", "answered_by", "rated_by"]


@admin.register(SuggestionEvent)
class SuggestionEventAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "action", "from_state", "to_state", "actor", "at"]
    list_filter = ["action", "to_state"]
    search_fields = ["suggestion__title", "note"]
    raw_id_fields = ["suggestion", "actor"]

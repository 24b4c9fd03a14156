"""URLs of the visits app."""

from django.urls import path

from visits.views import care, categories, duty, households, ledger, record, summaries

app_name = "visits"
urlpatterns = [
    path("record/", record.visit_create, name="visit_create"),
    path("record/opinion-row/", record.opinion_form, name="opinion_form"),
    path("record/households/", record.household_search, name="household_search"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger/export.xlsx", ledger.ledger_export, name="ledger_export"),
    path("<int:pk>/", ledger.visit_detail, name="visit_detail"),
    path("mine/", duty.my_duty, name="my_duty"),
    path("quota/", duty.quota_overview, name="quota_overview"),
    path("quota/export.xlsx", duty.quota_export, name="quota_export"),
    path("households/", households.household_list, name="household_list"),
    path("households/new/", households.household_edit, name="household_create"),
    path("households/import/", households.household_import, name="household_import"),
    path("households/export.xlsx", households.household_export, name="household_export"),
    path("households/<int:pk>/", ledger.household_detail, name="household_detail"),
    path("households/<int:pk>/phone/", ledger.household_reveal_phone, name="household_reveal_phone"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("opinions/", summaries.opinion_triage, name="opinion_triage"),
    path("opinions/merge/", summaries.opinion_merge, name="opinion_merge"),
    path("opinions/settle/", summaries.opinion_settle, name="opinion_settle"),
    path("summaries/", summaries.summary_list, name="summary_list"),
    path("summaries/<int:pk>/", summaries.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/settle/", summaries.summary_settle, name="summary_settle"),
    path("pairs/", care.pair_list, name="pair_list"),
    path("pairs/new/", care.pair_create, name="pair_create"),
    path("pairs/<int:pk>/end/", care.pair_end, name="pair_end"),
    path("mediations/", care.mediation_list, name="mediation_list"),
    path("mediations/new/", care.mediation_edit, name="mediation_create"),
    path("mediations/<int:pk>/edit/", care.mediation_edit, name="mediation_edit"),
    path("categories/", categories.category_list, name="category_list"),
    path("categories/<int:pk>/", categories.category_edit, name="category_edit"),
]

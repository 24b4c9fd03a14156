"""URLs of the supervision app."""

from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", views.project_transition, name="project_transition"),
    path("projects/<int:pk>/targets/", views.project_targets, name="project_targets"),
    path("projects/<int:pk>/deadline/", views.project_deadline, name="project_deadline"),
    path("projects/<int:pk>/notes/", views.note_create, name="note_create"),
    path("targets/<int:pk>/progress/", views.target_progress, name="target_progress"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("reviews/<int:pk>/", views.review_edit, name="review_edit"),
    path("rounds/<int:pk>/circular/", views.circular_draft, name="circular_draft"),
    path("circulars/", views.circular_list, name="circular_list"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/print/", views.circular_print, name="circular_print"),
    path("circulars/<int:pk>/publish/", views.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/correct/", views.circular_correct, name="circular_correct"),
    path("circulars/<int:pk>.xlsx", views.circular_xlsx, name="circular_xlsx"),
    path("reviews/<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("table/", views.division_table, name="division_table"),
    path("table.xlsx", views.division_table_xlsx, name="division_table_xlsx"),
]

"""URLs of deputies' suggestions (代表建议), mounted at /suggestions/."""

from django.urls import path

from suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("new/", views.suggestion_create, name="create"),
    path("similar/", views.similar, name="similar"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", views.suggestion_edit, name="edit"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/print/assignment/", views.print_assignment, name="print_assignment"),
    path("<int:pk>/print/answer/", views.print_answer, name="print_answer"),
    *(path(f"<int:pk>/{name}/", view, name=name) for name, view in views.step_views.items()),
]

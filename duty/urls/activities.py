"""URLs of the deputies' year (履职活动, 接待日, 履职档案, 年度工作清单), mounted at /duty/."""

from django.urls import path

from duty.views import activities as views

app_name = "activities"
urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_create, name="create"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/photos/", views.activity_photo, name="photo"),
    path("training/", views.training, name="training"),
    path("roster/", views.roster, name="roster"),
    path("roster/print/", views.roster_print, name="roster_print"),
    path("roster/new/", views.duty_create, name="duty_create"),
    path("roster/<int:pk>/reception/", views.reception, name="reception"),
    path("records/", views.record_list, name="records"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/print/", views.record_print, name="record_print"),
    path("checklist/", views.checklist, name="checklist"),
    path("turn/", views.turn, name="turn"),
]

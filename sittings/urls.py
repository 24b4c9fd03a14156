"""URLs of congress sessions (人代会), mounted at /sessions/."""

from django.urls import path

from sittings import views

app_name = "sessions"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/attendance/", views.attendance_edit, name="attendance"),
    path("<int:pk>/items/new/", views.item_add, name="item_add"),
    path("<int:pk>/results/", views.results_print, name="results"),
    path("items/<int:pk>/", views.item_edit, name="item"),
]

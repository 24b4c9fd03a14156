"""URLs of deputies' suggestions (代表建议), mounted at /suggestions/."""

from django.urls import path

from congress import views_suggestions as views

app_name = "suggestions"
urlpatterns = [
    path("similar/", views.similar, name="similar"),
]

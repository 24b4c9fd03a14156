"""URLs of the core app's own pages (reference data, accounts, files)."""

from django.urls import path  # noqa: F401

app_name = "congress"
urlpatterns: list = []

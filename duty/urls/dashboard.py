"""URLs of the dashboards (数据看板), mounted at /dashboard/."""

from django.urls import path

from duty.views import dashboard as views

app_name = "dashboard"
urlpatterns = [
    path("", views.town_dashboard, name="town"),
    path("towns/<int:pk>/", views.town_dashboard, name="town_detail"),
    path("district/", views.district_dashboard, name="district"),
    path("display-links/", views.display_links, name="display_links"),
    path("display-links/<int:pk>/revoke/", views.display_link_revoke, name="display_link_revoke"),
]

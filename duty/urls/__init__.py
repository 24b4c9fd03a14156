"""URLs of the deputies' year and the read side, mounted at the root: the home page, the dashboards
(/dashboard/), the meeting-room display (/display/<token>/) and the deputies' year (/duty/)."""

from django.urls import include, path

from duty.views.dashboard import wall
from duty.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("dashboard/", include("duty.urls.dashboard")),
    # The meeting-room display behind a read-only display link: no sign-in (congress.display_links).
    path("display/<str:token>/", wall, name="display_wall"),
    path("duty/", include("duty.urls.activities")),
]

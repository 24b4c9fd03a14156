"""The portal's URLs: each app mounts its own under a namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from congress import views
from congress.login import LoginForm, PasswordChangeView

urlpatterns = [
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("congress/", include("congress.app_urls")),
    path("suggestions/", include("suggestions.urls")),
    path("sessions/", include("sittings.urls")),
    path("visits/", include("visits.urls")),
    path("supervision/", include("supervision.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The home page, the dashboards and the deputies' year.
    path("", include("duty.urls")),
    # Before the administration's own URLs: its login page would be a second way in, without the lockout.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

handler400 = "congress.views.bad_request"
handler403 = "congress.views.permission_denied"
handler404 = "congress.views.page_not_found"
handler500 = "congress.views.server_error"

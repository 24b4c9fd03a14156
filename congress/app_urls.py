"""URLs of the core app's own pages (reference data, accounts, files)."""

from django.urls import path

from congress.views import audit as views_audit
from congress.views import notifications as views_notifications
from congress.views import privacy as views_privacy
from congress.views.reference import accounts, deputies, files, plan, records

app_name = "congress"
urlpatterns = [
    path("villages/", records.village_list, name="village_list"),
    path("villages/new/", records.village_create, name="village_create"),
    path("villages/<int:pk>/edit/", records.village_edit, name="village_edit"),
    path("constituencies/", records.constituency_list, name="constituency_list"),
    path("constituencies/new/", records.constituency_create, name="constituency_create"),
    path("constituencies/<int:pk>/edit/", records.constituency_edit, name="constituency_edit"),
    path("departments/", records.department_list, name="department_list"),
    path("departments/new/", records.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", records.department_edit, name="department_edit"),
    path("venues/", records.venue_list, name="venue_list"),
    path("venues/new/", records.venue_create, name="venue_create"),
    path("venues/<int:pk>/edit/", records.venue_edit, name="venue_edit"),
    path("deputies/", deputies.deputy_list, name="deputy_list"),
    path("deputies/new/", deputies.deputy_create, name="deputy_create"),
    path("deputies/<int:pk>/", deputies.deputy_detail, name="deputy_detail"),
    path("deputies/<int:pk>/phone/", deputies.deputy_reveal_phone, name="deputy_reveal_phone"),
    path("deputies/<int:pk>/edit/", deputies.deputy_edit, name="deputy_edit"),
    path("deputies/<int:pk>/leave/", deputies.deputy_leave, name="deputy_leave"),
    path("audit/", views_audit.audit_search, name="audit"),
    path("audit/changes/", views_audit.audit_changes, name="audit_changes"),
    path("data-requests/", views_privacy.request_list, name="data_requests"),
    path("data-requests/new/", views_privacy.request_create, name="data_request_create"),
    path("data-requests/<int:pk>/", views_privacy.request_answer, name="data_request_answer"),
    path("plan/", plan.plan_detail, name="plan"),
    path("plan/edit/", plan.plan_edit, name="plan_edit"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/password/", accounts.account_password_reset, name="account_password_reset"),
    path("accounts/<int:pk>/deactivate/", accounts.account_deactivate, name="account_deactivate"),
    path("files/<str:token>/", files.download, name="file"),
    path("inbox/", views_notifications.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views_notifications.mark_read, name="inbox_read"),
    path("inbox/read-all/", views_notifications.mark_all_read, name="inbox_read_all"),
    path("inbox/channels/", views_notifications.channel_settings, name="inbox_channels"),
    path("deliveries/unconfirmed/", views_notifications.unconfirmed_deliveries, name="deliveries_unconfirmed"),
    path("deliveries/<int:pk>/resolve/", views_notifications.resolve_delivery, name="delivery_resolve"),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    """The deputies' year and the read side across the apps: activities and training, reception rosters,
    the record of duty, the annual checklist, the dashboards and the home page."""

    name = "duty"
    verbose_name = _("Deputies' duties")

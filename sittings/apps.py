from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SittingsConfig(AppConfig):
    """The congress sessions (人代会): agenda and report items, budget figures, attendance, quorum, results."""

    name = "sittings"
    verbose_name = _("congress sessions")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from congress.middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="congress_start_session_clocks")

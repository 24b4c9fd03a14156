from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save, pre_save

        from congress import audit
        from congress.middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="congress_start_session_clocks")
        user_logged_in.connect(audit.on_login, dispatch_uid="congress_audit_login")
        user_logged_out.connect(audit.on_logout, dispatch_uid="congress_audit_logout")
        user_login_failed.connect(audit.on_login_failed, dispatch_uid="congress_audit_login_failed")
        user_model = self.get_model("User")
        pre_save.connect(audit.skip_sign_in_stamp, sender=user_model, dispatch_uid="congress_audit_skip_stamp")
        post_save.connect(audit.unmark_sign_in_stamp, sender=user_model, dispatch_uid="congress_audit_unmark_stamp")

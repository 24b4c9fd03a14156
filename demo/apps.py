from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo district and the scale data of the benchmarks: `seed_demo` and `seed_scale`.

    It stands above every other app and nothing imports it, so an installation may leave it out.
    """

    name = "demo"
    verbose_name = _("Demo data")

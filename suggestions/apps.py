from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    """Deputies' suggestions (代表建议): submit, joint proposers, assignment (交办), answer, evaluation,
    redo, supervision by the chairman (督办), statistics and the similar-title hint."""

    name = "suggestions"
    verbose_name = _("Deputies' suggestions")

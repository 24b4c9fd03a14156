"""The roles a login account can have."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a login account is for; decides what access.py lets it see."""

    STAFF = "staff", _("congress office staff")
    VILLAGE_CADRE = "village_cadre", _("village cadre")
    CHAIRMAN = "chairman", _("chairman")
    DEPUTY = "deputy", _("deputy")
    DEPARTMENT = "department", _("department")
    DISTRICT = "district", _("district congress")

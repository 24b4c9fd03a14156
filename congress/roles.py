"""The roles a login account can have, and how a model declares which rows each role reaches.

The declarations are data; congress.access reads them and makes every decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class AccessRule:
    """How rows of a model relate to the scopes of the roles.

    Each value is an ORM lookup path from the model (or "self" for the row itself): `town` to its
    Town (required), `village` to a Village, `deputy` to a Deputy (a deputy sees rows linked to
    themselves), `department` to a Department, or a tuple of such paths when a row concerns several
    departments in different ways (a project's lead and cooperating departments): any one suffices.
    `town_wide` names roles that read every row of their town whatever the paths say (reference data
    such as the list of villages).
    """

    town: str
    village: str | None = None
    deputy: str | None = None
    department: str | tuple[str, ...] | None = None
    town_wide: frozenset[str] = field(default_factory=frozenset)


EVERY_TOWN_ROLE = frozenset(
    {Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DEPUTY, Role.DEPARTMENT, Role.DISTRICT}
)

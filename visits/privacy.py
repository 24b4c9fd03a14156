"""Who may see a household's phone number in full: staff, the cadre of its village, and the deputies
paired with it. Pages and exports show it masked like 138****5678 to everyone; those who may ask for it
in full with a reveal (recorded in the audit trail), and staff may take a full export (recorded too)."""

from __future__ import annotations

from django.utils import timezone

from congress import access
from congress.models import User
from congress.privacy import mask_phone
from visits.models import Household, Pairing


class PhoneReveal:
    """Decides, for one user and any number of households, whether a phone shows in full.

    Built once per page: a deputy's paired households are read in one query, not one per row.
    """

    def __init__(self, user: User) -> None:
        self.user = user
        self.reach = access.household_phone_reach(user)
        self._paired: set[int] | None = None

    def full(self, household: Household) -> bool:
        if self.reach == "every":
            return True
        if self.reach == "village":
            return household.village_id == self.user.village_id
        if self.reach == "paired":
            return household.pk in self.paired_ids
        return False

    def phone(self, household: Household) -> str:
        return household.phone if self.full(household) else mask_phone(household.phone)

    @property
    def paired_ids(self) -> set[int]:
        if self._paired is None:
            deputy = access.own_deputy(self.user)
            self._paired = (
                set(
                    Pairing.objects.active_on(timezone.localdate())
                    .filter(deputy=deputy)
                    .values_list("household_id", flat=True)
                )
                if deputy
                else set()
            )
        return self._paired


__all__ = ["PhoneReveal", "mask_phone"]

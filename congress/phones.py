"""Phone numbers as the office writes them, checked and written one way.

A mobile number is 11 digits starting 13 to 19 and is kept as 11 digits (a leading +86 or 0086 is
dropped). A fixed line is an area code (010 and 02x have three digits, the others four) and a local
number of 7 or 8 digits, kept as "0571-88886666"; an extension may follow ("转123", "ext 123", "-123"),
kept as "0571-88886666-123". Full-width digits and separators are read like their ASCII forms. Anything
else is refused with a message saying what is accepted.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"1[3-9][0-9]{9}")
FIXED = re.compile(r"(0(?:1[0-9]|2[0-9]|[3-9][0-9]{2}))([0-9]{7,8})(?:(?:转|ext\.?|x|#)([0-9]{1,6}))?", re.IGNORECASE)
INVALID = _(
    "Enter a mobile number of 11 digits (13 to 19 first), or a fixed line with its area code, "
    "e.g. 010-69612345, with an extension after 转 if there is one."
)


def normalise_phone(text: str) -> str:
    """The number written the portal's one way; ValidationError when it is no phone number."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if not value:
        return ""
    compact = re.sub(r"[\s()（）]", "", value)
    compact = re.sub(r"^(?:\+86|0086)", "", compact)
    # A fixed line's extension after a hyphen: the part after the last hyphen of a number already whole.
    parts = [p for p in re.split(r"[-‐–—]", compact) if p]
    compact = "".join(parts)
    if len(parts) >= 2 and not FIXED.fullmatch(compact) and not MOBILE.fullmatch(compact):
        head = "".join(parts[:-1])
        if FIXED.fullmatch(head) and parts[-1].isascii() and parts[-1].isdigit():
            compact = f"{head}转{parts[-1]}"
    if MOBILE.fullmatch(compact):
        return compact
    if compact.startswith("86") and MOBILE.fullmatch(compact[2:]):
        return compact[2:]
    match = FIXED.fullmatch(compact)
    if match is None:
        raise ValidationError(INVALID, code="invalid_phone")
    area, local, extension = match.groups()
    return f"{area}-{local}" + (f"-{extension}" if extension else "")

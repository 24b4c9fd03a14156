from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """The portal's name for every page."""
    return {"PORTAL_NAME": settings.PORTAL_NAME}

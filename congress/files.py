"""Where uploaded files live: private storage with no public URL, under random names."""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.functional import cached_property

if TYPE_CHECKING:
    from congress.models import Attachment

# The types the portal accepts, as detected from the content (never from the client's claim).
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private; read through the `congress:file` view, which asks access.py."""

    @cached_property
    def base_location(self) -> str:
        # Read lazily so tests that override MEDIA_ROOT write to their own directory.
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL: link to the attachment's get_absolute_url()")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage


def attachment_path(instance: Attachment, filename: Any) -> str:
    """A random name by town and month; the client's file name is kept only in the database."""
    extension = EXTENSIONS.get(instance.mime_type, "")
    return f"attachments/{instance.town_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"

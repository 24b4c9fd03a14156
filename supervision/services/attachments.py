"""Files that come with supervision records: a review's photos and documents, and a deputy supervisor's
on-site note with its photo. Both are checked by content and served only through the access module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from congress.files import EXTENSIONS
from congress.models import Deputy, User
from congress.uploads import clean_photo
from supervision.models import InspectionNote, LivelihoodProject, ProjectReview, ReviewAttachment
from supervision.services.common import save_checked

# The one size limit for review files and note photos alike.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What an upload may be, told by its first bytes rather than its name or the browser's word for it.
ATTACHMENT_SIGNATURES: dict[str, tuple[bytes, str]] = {
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "pdf": (b"%PDF-", "application/pdf"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@transaction.atomic
def attach_to_review(*, review: ProjectReview, by: User, upload: Any) -> ReviewAttachment:
    """Keep a photo or document with a review once its size and content match an allowed type."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Files are limited to 10 MB.")})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    signature = ATTACHMENT_SIGNATURES.get(extension)
    head = upload.read(8)
    upload.seek(0)
    if signature is None or not head.startswith(signature[0]):
        raise ValidationError({"file": _("Only JPEG, PNG, PDF, DOCX and XLSX files are accepted.")})
    return save_checked(
        ReviewAttachment(
            review=review,
            file=upload,
            original_name=upload.name[:200],
            content_type=signature[1],
            size=upload.size,
            uploaded_by=by,
        )
    )


@transaction.atomic
def add_inspection_note(
    *, project: LivelihoodProject, deputy: Deputy, inspected_on: dt.date, notes: str, photo: Any = None
) -> InspectionNote:
    """A deputy supervisor records an on-site inspection of a project they supervise."""
    if not project.supervisors.filter(pk=deputy.pk).exists():
        raise ValidationError(_("Only the project's deputy supervisors add inspection notes."))
    if photo and photo.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"photo": _("Files are limited to 10 MB.")})
    note = InspectionNote(project=project, deputy=deputy, inspected_on=inspected_on, notes=notes)
    if photo:
        try:
            mime_type, content = clean_photo(photo)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.message_dict.get("file", exc.messages)}) from exc
        note.photo.save(f"photo{EXTENSIONS[mime_type]}", ContentFile(content), save=False)
    try:
        note.full_clean()
        note.save()
    except Exception:
        if note.photo:
            note.photo.delete(save=False)  # no row points at it
        raise
    return note

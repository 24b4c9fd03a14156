"""Files that come with supervision records: a review's photos and documents (attachments of the
portal, congress.uploads), and a deputy supervisor's on-site note with its photo. Both are checked by
content and served only through the access module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from congress.files import EXTENSIONS
from congress.models import Attachment, Deputy, User
from congress.uploads import clean_photo, store_upload
from supervision.models import InspectionNote, LivelihoodProject, ProjectReview


def attach_to_review(*, review: ProjectReview, by: User, upload: Any) -> Attachment:
    """Keep a photo or document with a review: through the portal's one upload path (type by content,
    photos re-encoded without their metadata, a random name in private storage)."""
    return store_upload(by=by, town=review.project.town, owner=review, uploaded_file=upload)


@transaction.atomic
def add_inspection_note(
    *, project: LivelihoodProject, deputy: Deputy, inspected_on: dt.date, notes: str, photo: Any = None
) -> InspectionNote:
    """A deputy supervisor records an on-site inspection of a project they supervise."""
    if not project.supervisors.filter(pk=deputy.pk).exists():
        raise ValidationError(_("Only the project's deputy supervisors add inspection notes."))
    if photo and photo.size > settings.UPLOAD_MAX_BYTES:  # the one size limit of every upload
        raise ValidationError(
            {"photo": _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}}
        )
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

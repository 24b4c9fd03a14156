"""A review's photos and documents become attachments of the portal: one upload path for every file.

Each file stored before (under its uploader's name, in the default storage, photos as the phone wrote
them) is read, checked and re-encoded as congress.uploads does it (a photo loses its EXIF: position,
device, owner), stored under a random name in the private storage as an Attachment of its review, and
the old file is removed. A file that no longer decodes as what it was accepted as is kept as it was.
"""

import io
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import migrations

from congress.uploads import checked_content

logger = logging.getLogger(__name__)


def move_review_files(apps, schema_editor):
    ReviewAttachment = apps.get_model("supervision", "ReviewAttachment")
    Attachment = apps.get_model("congress", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    review_type, _created = ContentType.objects.get_or_create(app_label="supervision", model="projectreview")
    for old in ReviewAttachment.objects.select_related("review__project").order_by("pk").iterator():
        try:
            with old.file.open("rb") as stored:
                content = stored.read()
        except FileNotFoundError:
            logger.warning("review file %s is missing on disk: its row is dropped", old.file.name)
            continue
        try:
            mime_type, content = checked_content(io.BytesIO(content))
        except ValidationError:
            mime_type = old.content_type
        moved = Attachment(
            town_id=old.review.project.town_id,
            token=secrets.token_urlsafe(32),
            original_name=old.original_name,
            mime_type=mime_type,
            size=len(content),
            uploaded_by_id=old.uploaded_by_id,
            uploaded_at=old.uploaded_at,
            content_type=review_type,
            object_id=old.review_id,
        )
        moved.file.save("upload", ContentFile(content), save=False)
        moved.save()
        old.file.delete(save=False)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0011_closing_look_back_is_immutable"),
        ("congress", "0017_phone_numbers_written_one_way"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # Not reversed: the files stay attachments of their reviews (the old table comes back empty).
        migrations.RunPython(move_review_files, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReviewAttachment"),
    ]

"""Migration 0012 moves the review files stored before into the portal's attachments: private storage,
a random name, photos without EXIF, the old file gone."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from congress.models import Attachment
from supervision.models import ProjectReview
from tests.supervision.factories import LivelihoodProjectFactory, ProjectReviewFactory, ReviewRoundFactory
from tests.supervision.test_attachments import jpeg_with_gps

BEFORE = [("supervision", "0011_closing_look_back_is_immutable")]
AFTER = [("supervision", "0012_review_files_are_attachments")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Real commits: the migrations run on the test database and change its tables.
@pytest.mark.django_db(transaction=True)
def test_review_files_become_private_attachments_without_their_exif(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = ReviewRoundFactory(town=cast.town, opened_by=cast.staff)
    review = ProjectReviewFactory(round=round_, project=LivelihoodProjectFactory(town=cast.town))
    try:
        old_apps = _migrate(BEFORE)
        ReviewAttachment = old_apps.get_model("supervision", "ReviewAttachment")
        old = ReviewAttachment(
            review_id=review.pk, original_name="DSC_0001.jpg", content_type="image/jpeg", size=1,
            uploaded_by_id=cast.staff.pk,
        )  # fmt: skip
        old.file.save("DSC_0001.jpg", ContentFile(jpeg_with_gps()), save=False)
        old.save()
        old_path = tmp_path / old.file.name
        assert old_path.exists() and "private" not in str(old_path)

        _migrate(AFTER)
    finally:
        _migrate(AFTER)  # whatever happened, the database ends at the latest state

    moved = Attachment.objects.get()
    assert moved.owner == ProjectReview.objects.get(pk=review.pk)
    assert (moved.original_name, moved.mime_type, moved.town_id) == ("DSC_0001.jpg", "image/jpeg", cast.town.pk)
    assert moved.file.storage.path(moved.file.name).startswith(str(tmp_path / "private"))
    assert "DSC_0001" not in moved.file.name
    with moved.file.open("rb") as f:
        assert dict(Image.open(io.BytesIO(f.read())).getexif()) == {}
    assert not old_path.exists()

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from congress.models import Attachment
from supervision import services
from tests.supervision.factories import LivelihoodProjectFactory, ProjectReviewFactory, ReviewRoundFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def review_of(cast, **project):
    round_ = ReviewRoundFactory(town=cast.town, opened_by=cast.staff)
    return ProjectReviewFactory(
        round=round_, project=LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, **project)
    )


def test_staff_attach_a_photo_and_the_supervising_deputy_can_open_it(cast, client):
    review = review_of(cast, supervisors=[cast.deputy])
    photo = real_png()
    client.force_login(cast.staff)
    client.post(
        reverse("supervision:attachment_add", args=[review.pk]), {"file": SimpleUploadedFile("现场.png", photo)}
    )
    attachment = review.attachments.get()
    assert (attachment.mime_type, attachment.original_name) == ("image/png", "现场.png")
    client.force_login(cast.deputy_user)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    with attachment.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_a_file_whose_content_does_not_match_its_type_is_refused(cast):
    review = review_of(cast)
    with pytest.raises(ValidationError) as exc:
        services.attach_to_review(review=review, by=cast.staff, upload=SimpleUploadedFile("x.png", b"<script>"))
    assert "file" in exc.value.message_dict
    assert not Attachment.objects.exists()


def test_a_file_over_the_upload_limit_is_refused(cast, settings):
    settings.UPLOAD_MAX_BYTES = 16
    with pytest.raises(ValidationError) as exc:
        services.attach_to_review(review=review_of(cast), by=cast.staff, upload=SimpleUploadedFile("x.png", real_png()))
    assert "file" in exc.value.message_dict


def test_a_deputy_who_does_not_supervise_the_project_gets_404_for_its_files(cast, client):
    review = review_of(cast, supervisors=[cast.deputy])
    attachment = services.attach_to_review(review=review, by=cast.staff, upload=SimpleUploadedFile("a.png", real_png()))
    client.force_login(cast.other_deputy_user)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_review_photo_loses_its_gps_and_has_no_public_url(cast, tmp_path):
    review = review_of(cast)
    upload = SimpleUploadedFile("DSC_0001.jpg", jpeg_with_gps())

    attachment = services.attach_to_review(review=review, by=cast.staff, upload=upload)

    with attachment.file.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert (stored.format, dict(stored.getexif())) == ("JPEG", {})
    assert attachment.file.storage.path(attachment.file.name).startswith(str(tmp_path / "private"))
    assert "DSC_0001" not in attachment.file.name
    with pytest.raises(ValueError, match="no public URL"):
        attachment.file.url  # noqa: B018 - the property raises


def real_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "green").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_supervisors_photo_is_kept_privately_and_shown_to_those_who_see_the_project(cast, client, tmp_path):
    project = LivelihoodProjectFactory(town=cast.town, lead_department=cast.department, supervisors=[cast.deputy])
    photo = real_png()
    client.force_login(cast.deputy_user)
    data = {"inspected_on": "2026-05-10", "notes": "路基已压实", "photo": SimpleUploadedFile("我的照片.png", photo)}
    client.post(reverse("supervision:note_create", args=[project.pk]), data)
    note = project.inspection_notes.get()
    assert note.photo.name.startswith(f"supervision/{cast.town.pk}/notes/") and "我的照片" not in note.photo.name
    assert note.photo.storage.path(note.photo.name).startswith(str(tmp_path / "private"))
    url = reverse("supervision:note_photo", args=[note.pk])
    client.force_login(cast.department_user)
    assert url in client.get(project.get_absolute_url()).content.decode()
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    with note.photo.open("rb") as f:
        assert b"".join(response.streaming_content) == f.read()  # the re-encoded photo
    client.force_login(cast.other_deputy_user)
    assert client.get(url).status_code == 404


def test_a_supervisors_photo_over_the_upload_limit_is_refused(cast, settings):
    settings.UPLOAD_MAX_BYTES = 16
    project = LivelihoodProjectFactory(town=cast.town, supervisors=[cast.deputy])
    with pytest.raises(ValidationError) as exc:
        services.add_inspection_note(
            project=project,
            deputy=cast.deputy,
            inspected_on="2026-05-10",
            notes="x",
            photo=SimpleUploadedFile("a.png", real_png()),
        )
    assert "photo" in exc.value.message_dict
    assert not project.inspection_notes.exists()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {2: (40.0, 10.0, 0.0)}  # GPSInfo: a latitude
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif()  # the upload carries it
    return buffer.getvalue()


def test_a_supervisors_photo_loses_its_gps_position(cast):
    project = LivelihoodProjectFactory(town=cast.town, supervisors=[cast.deputy])
    note = services.add_inspection_note(
        project=project,
        deputy=cast.deputy,
        inspected_on="2026-05-10",
        notes="x",
        photo=SimpleUploadedFile("a.jpg", jpeg_with_gps()),
    )
    with note.photo.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert (stored.format, dict(stored.getexif())) == ("JPEG", {})


def test_a_photo_that_is_no_image_is_refused_on_its_field(cast):
    project = LivelihoodProjectFactory(town=cast.town, supervisors=[cast.deputy])
    with pytest.raises(ValidationError) as exc:
        services.add_inspection_note(
            project=project,
            deputy=cast.deputy,
            inspected_on="2026-05-10",
            notes="x",
            photo=SimpleUploadedFile("a.png", PNG),
        )
    assert "photo" in exc.value.message_dict
    assert not project.inspection_notes.exists()


def test_a_refused_upload_is_shown_on_its_field_and_nothing_is_stored(cast, client):
    review = review_of(cast)
    client.force_login(cast.staff)

    response = client.post(
        reverse("supervision:attachment_add", args=[review.pk]), {"file": SimpleUploadedFile("现场.png", b"MZ\x90")}
    )

    assert response.status_code == 200
    assert "file" in response.context["attachment_form"].errors
    assert not Attachment.objects.exists()


def test_posting_no_file_asks_for_one_on_the_field(cast, client):
    review = review_of(cast)
    client.force_login(cast.staff)

    response = client.post(reverse("supervision:attachment_add", args=[review.pk]), {})

    assert response.context["attachment_form"].errors["file"]
    assert not Attachment.objects.exists()

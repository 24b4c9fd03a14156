"""Uploaded files: checked, stripped of photo metadata, private, served only through access.py."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from congress.models import Attachment
from congress.uploads import store_upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg_with_gps(width: int = 40, height: int = 20) -> bytes:
    image = Image.new("RGB", (width, height), "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = 6  # the camera was held sideways: show rotated 90°
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 18.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 38.0, 10.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def office_file(part: str) -> bytes:
    """A minimal Office archive, the same bytes in every process (its entries carry a fixed date), so the
    tests' ids match between parallel workers."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), (part, "<document/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


def upload(cast, name: str, content: bytes, *, by=None, owner=None, content_type="application/octet-stream"):
    return store_upload(
        by=by or cast.staff,
        town=cast.town,
        owner=owner or cast.deputy,
        uploaded_file=SimpleUploadedFile(name, content, content_type=content_type),
    )


def test_a_photo_is_stored_without_exif_or_gps_and_upright(cast, media_root):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo really carries GPS

    attachment = upload(cast, "现场照片.jpg", original, content_type="image/jpeg")

    stored = Path(attachment.file.path).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
        assert image.size == (20, 40)
    assert b"Exif\x00\x00" not in stored
    assert b"PhoneMaker" not in stored
    assert (attachment.mime_type, attachment.size) == ("image/jpeg", len(stored))


def test_the_stored_file_is_private_under_a_random_name(cast, media_root):
    attachment = upload(cast, "现场照片.jpg", jpeg_with_gps())
    path = Path(attachment.file.path)
    assert path.is_relative_to(media_root / "private")
    assert "现场照片" not in path.name
    assert attachment.original_name == "现场照片.jpg"
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


@pytest.mark.parametrize(
    ("name", "content", "mime_type"),
    [
        ("会议纪要.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"),
        (
            "报告.docx",
            office_file("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            office_file("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_documents_are_accepted_by_their_content(cast, name, content, mime_type):
    attachment = upload(cast, name, content)
    assert attachment.mime_type == mime_type
    assert Path(attachment.file.path).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),
        ("report.pdf", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("archive.docx", office_file("other/thing.xml")),
        ("animation.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("empty.pdf", b""),
    ],
)
def test_other_types_are_refused_with_an_error_on_the_file_field(cast, name, content):
    with pytest.raises(ValidationError) as refused:
        upload(cast, name, content, content_type="image/jpeg")
    assert list(refused.value.error_dict) == ["file"]
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        upload(cast, "big.pdf", b"%PDF-" + b"0" * 200)
    assert list(refused.value.error_dict) == ["file"]
    assert not any(media_root.rglob("*.pdf"))


def test_nobody_attaches_a_file_to_a_record_they_cannot_see(cast):
    with pytest.raises(PermissionDenied):
        upload(cast, "x.pdf", b"%PDF-1.7", by=cast.other_deputy_user, owner=cast.deputy)


def download(client, user, attachment):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("congress:file", args=[attachment.token]))


def test_the_download_carries_safe_headers(client, cast):
    attachment = upload(cast, "会议纪要.pdf", b"%PDF-1.7\n%%EOF\n")
    response = download(client, cast.staff, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7\n%%EOF\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", ["staff", "chairman", "cadre", "deputy_user", "district_user", "superuser"])
def test_who_may_see_the_owner_may_download(client, cast, persona):
    attachment = upload(cast, "照片.jpg", jpeg_with_gps())
    assert download(client, getattr(cast, persona), attachment).status_code == 200


@pytest.mark.parametrize("persona", ["other_deputy_user", "department_user", "outsider_staff"])
def test_who_may_not_see_the_owner_gets_404(client, cast, persona):
    attachment = upload(cast, "照片.jpg", jpeg_with_gps())
    assert download(client, getattr(cast, persona), attachment).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, cast):
    attachment = upload(cast, "照片.jpg", jpeg_with_gps())
    response = download(client, None, attachment)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_files_are_not_served_under_the_media_url(client, cast):
    attachment = upload(cast, "照片.jpg", jpeg_with_gps())
    client.force_login(cast.superuser)
    assert client.get("/files/private/" + attachment.file.name).status_code == 404

"""Storing uploaded files (附件): type and size checks, and photos stripped of EXIF/GPS."""

from __future__ import annotations

import io
import os
import secrets
import unicodedata
import zipfile
from typing import IO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from congress import access
from congress.files import EXTENSIONS
from congress.models import Attachment, Town, User

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
OFFICE_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Far above any phone camera; refuses decompression bombs before they are decoded.
MAX_IMAGE_PIXELS = 60_000_000


@transaction.atomic
def store_upload(*, by: User, town: Town, owner: models.Model, uploaded_file: UploadedFile) -> Attachment:
    """Check an uploaded file, re-encode photos without their metadata, and attach it to `owner`.

    Raises ValidationError on the "file" field for a type or size the portal does not accept.
    """
    if not access.can(by, "congress.upload_file") or not access.may_see(by, owner):
        raise PermissionDenied
    if not access.in_town(owner, town):
        raise ValueError("The owner belongs to another town")
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}}
        )
    uploaded_file.seek(0)
    mime_type, content = checked_content(uploaded_file)
    attachment = Attachment(
        town=town,
        token=secrets.token_urlsafe(32),
        original_name=_clean_name(uploaded_file.name or "") or "file" + EXTENSIONS[mime_type],
        mime_type=mime_type,
        size=len(content),
        uploaded_by=by,
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
    )
    attachment.file.save("upload", ContentFile(content), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # No row points at the file: do not leave it behind.
        attachment.file.delete(save=False)
        raise
    return attachment


def clean_photo(f: IO[bytes]) -> tuple[str, bytes]:
    """A photo stored outside the attachments (an inspection note's): its type and its bytes re-encoded
    without metadata (no GPS position leaves the phone). ValidationError on "file" when it is no photo."""
    f.seek(0)
    return _clean_image(f)


def checked_content(f: IO[bytes]) -> tuple[str, bytes]:
    """The detected type and the bytes to store; photos come back re-encoded."""
    head = f.read(8)
    f.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf", f.read()
    if head.startswith(b"PK\x03\x04"):
        return _office_document(f)
    return _clean_image(f)


def _office_document(f: IO[bytes]) -> tuple[str, bytes]:
    data = f.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ValidationError({"file": _("The document is damaged.")}) from exc
    if "[Content_Types].xml" in names:
        for part, mime_type in OFFICE_PARTS.items():
            if part in names:
                return mime_type, data
    raise ValidationError({"file": _not_accepted()})


def _clean_image(f: IO[bytes]) -> tuple[str, bytes]:
    """Decode and re-encode, with the EXIF orientation applied and every metadata block dropped."""
    try:
        with Image.open(f) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError({"file": _not_accepted()})
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError({"file": _("The photo is too large.")})
            image_format = image.format
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError({"file": _not_accepted()}) from exc
    icc_profile = upright.info.get("icc_profile")
    upright.info = {}
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    options: dict[str, object] = {"quality": 88} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    if icc_profile:
        options["icc_profile"] = icc_profile
    out = io.BytesIO()
    upright.save(out, format=image_format, **options)
    return IMAGE_FORMATS[image_format], out.getvalue()


def _not_accepted() -> str:
    return _("Only photos (JPEG, PNG, WebP), PDF, Word (.docx) and Excel (.xlsx) files can be uploaded.")


def _clean_name(name: str) -> str:
    """The client's file name without its path or control characters, for the download header."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-200:]

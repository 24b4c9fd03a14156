"""Downloads of uploaded files: only through access.py, never from a public URL."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from congress import access
from congress.access import require_action


@never_cache
@require_action("congress.download_file")
@require_safe
def download(request: HttpRequest, token: str) -> FileResponse:
    attachment = access.get_attachment_or_404(request.user, token=token)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were talked into rendering it, the file runs no script and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response

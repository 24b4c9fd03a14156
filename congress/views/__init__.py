"""Core pages: the favicon and the friendly error pages."""

import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico by themselves. A temporary redirect, because the static name changes
    with every release when the manifest storage adds its hash."""
    return HttpResponseRedirect(static("favicon.ico"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request and its context processors: the database may be what failed.

    A lost database connection outside a view (saving the session, say) gets the 503 page instead."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable()
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


# The database went away (restarted, connection terminated, network): not a bug of the page.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable() -> HttpResponse:
    """The 503 page: rendered without the request, since nothing may touch the database."""
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """django-axes' answer to a locked account and IP address: a Chinese page saying how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    add_never_cache_headers(response)
    return response

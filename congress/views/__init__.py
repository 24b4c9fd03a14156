"""Core pages: the favicon and the friendly error pages."""

import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico by themselves. A temporary redirect, because the static name changes
    with every release when the manifest storage adds its hash."""
    return HttpResponseRedirect(static("favicon.ico"))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django cannot take (an unknown host name, a malformed upload, too many fields).

    Rendered without the request, like the 500 page: what is wrong may be the very request."""
    return HttpResponseBadRequest(loader.get_template("errors/400.html").render())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose security token no longer holds: most often a page left open past the session's end
    or a form sent twice from an old tab. Nothing was saved; the page says how to send it again."""
    response = render(request, "errors/403_csrf.html", status=403)
    add_never_cache_headers(response)
    return response


@require_safe
def admin_login(request: HttpRequest) -> HttpResponse:
    """The administration signs in through the portal's own login page, with its lockout and audit."""
    target = reverse("login")
    if request.GET:
        target = f"{target}?{request.GET.urlencode()}"
    return HttpResponseRedirect(target)


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

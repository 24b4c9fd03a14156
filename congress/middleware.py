"""Request middleware of the portal."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from congress.views import DATABASE_UNAVAILABLE, database_unavailable

logger = logging.getLogger(__name__)


class ChineseByDefaultMiddleware:
    """Serve Simplified Chinese unless the user picked another language with the switch.

    Office computers often carry an English browser; the portal's language is the office's, so the
    browser's Accept-Language is ignored and only the language cookie (set by the switch) counts.
    Must come before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# Session keys of the timeouts: when the user signed in and when they last did something (Unix seconds).
SIGNED_IN_AT = "congress_signed_in_at"
LAST_SEEN_AT = "congress_last_seen_at"
# Writing the session on every request costs a database write; a minute of slack on the idle clock does not.
LAST_SEEN_RESOLUTION = 60


def start_session_clocks(*, request: HttpRequest, **kwargs: Any) -> None:
    """Note when the user signed in (a receiver of user_logged_in, connected in CongressConfig.ready)."""
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = time.time()


class SessionTimeoutMiddleware:
    """Sign out a session idle longer than SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT.

    等保 level 2 asks that an idle session ends by itself; the absolute limit means a stolen or forgotten
    session cannot be kept alive by activity alone. Must come after the authentication and message
    middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        if request.user.is_authenticated and self._expired(request, now):
            logout(request)
            messages.info(request, _("You were signed out after a period without activity. Please sign in again."))
        response = self.get_response(request)
        # A session signed in before the clocks existed gets them now.
        if request.user.is_authenticated and SIGNED_IN_AT not in request.session:
            start_session_clocks(request=request)
        return response

    @staticmethod
    def _expired(request: HttpRequest, now: float) -> bool:
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        if signed_in_at is None:
            return False
        last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
        if now - last_seen_at > settings.SESSION_IDLE_TIMEOUT or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
            return True
        if now - last_seen_at >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now
        return False


class PasswordChangeRequiredMiddleware:
    """An account whose password staff set (opened or reset) changes it before it does anything else.

    Every page of such an account answers with the password-change page; only that page, signing out
    and the language switch stay open. The flag is cleared when the password is changed
    (congress.login.PasswordChangeView)."""

    OPEN_URL_NAMES = frozenset({"password_change", "password_change_done", "logout", "favicon", "set_language"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in self.OPEN_URL_NAMES:
                messages.warning(
                    request, _("Choose a password of your own before you go on: the one you were given was temporary.")
                )
                return redirect_to_login(request.get_full_path(), reverse("password_change"), "next")
        return self.get_response(request)


class NoStoreForSignedInUsersMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user.

    Pages, fragments and downloads for a signed-in user may carry personal information (households,
    phone numbers); neither the browser nor a proxy may keep them. Static files never get here
    (WhiteNoise answers them earlier), so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class DatabaseUnavailableMiddleware:
    """A view that loses its database connection answers with the 503 page in Chinese, not a traceback.

    The services write in one transaction each, so what the view was saving is stored whole or not at
    all. Errors outside a view (the session saved after it) reach congress.views.server_error, which
    answers the same way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        return database_unavailable()


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


class QueryCountHeaderMiddleware:
    """`X-Query-Count`: the SQL statements a request ran, for `make bench` (never on in production).

    Enabled only by BENCH_QUERY_HEADER=1 (congress/settings.py puts it first, so sessions and sign-in
    lookups are counted too). Transaction control (BEGIN, COMMIT, SAVEPOINT ...) carries no data and is
    left out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counting(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
                count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response

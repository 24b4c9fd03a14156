"""Request middleware of the portal."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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

"""The permission matrix: every named URL of the portal × every persona × GET and POST.

URL names come from the resolver (`url_names()` walks every pattern and yields "namespace:name"), so a
new page without a row fails `test_every_url_has_a_row` with the list of names to add. The Django
admin is ONE rule, "admin": superusers only. Any row whose url is in the admin namespace covers it;
the matrix checks the admin index and one changelist.

Rows live in `tests/security/matrix_<area>.py` modules (matrix_core.py, matrix_visits.py, ...); each
defines `ROWS: list[Row]`, and every such module is collected. A row:

    Row(
        url="congress:village_edit",                      # the URL name, as reverse() takes it
        setup=lambda cast: {"venue": VenueFactory(town=cast.town)},   # optional: extra objects
        kwargs=lambda o: {"pk": o.village.pk},            # optional: reverse() kwargs
        query="?year=2026",                               # optional: appended to the URL
        get=signed_in(FORBIDDEN, staff=OK, outsider_staff=NOT_FOUND, superuser=OK),
        post=signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT),
        data=lambda o: {"name": "改名村", "kind": "village"},          # optional: the POST body
        target=lambda o: o.village,                       # optional: the record a refused POST
    )                                                     #   must leave unchanged

- `o` is the objects of the test: every field of the cast (tests/conftest.py: town, other_town,
  village, other_village, deputy, other_deputy, department and the personas' users) plus whatever
  `setup(cast)` returned. Build objects in `setup`, never at import time.
- `get` and `post` map EVERY persona of `PERSONAS` to an Outcome; build them with `expect(default,
  **overrides)` or `signed_in(default, **overrides)` (anonymous → LOGIN). A missing persona is an error.
- Outcomes: OK (200), REDIRECT (302 anywhere but the sign-in page, e.g. a successful POST), LOGIN
  (302 to a sign-in page with ?next=, the portal's or the admin's), FORBIDDEN (403), NOT_FOUND (404),
  METHOD_NOT_ALLOWED (405).
- With a `target`, every POST refused (LOGIN, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED) must leave
  the target's database row exactly as it was, so make `data` a real change. Give object URLs a target.

Each (row, persona, method) is its own test; all share one cast per module, each test rolled back.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import FAST_HASHERS, PERSONAS, Cast, build_cast

ADMIN = "admin"


class Outcome(enum.Enum):
    OK = "200"
    REDIRECT = "302 elsewhere"
    LOGIN = "302 to sign in"
    FORBIDDEN = "403"
    NOT_FOUND = "404"
    METHOD_NOT_ALLOWED = "405"

    def __repr__(self) -> str:
        return self.name


OK = Outcome.OK
REDIRECT = Outcome.REDIRECT
LOGIN = Outcome.LOGIN
FORBIDDEN = Outcome.FORBIDDEN
NOT_FOUND = Outcome.NOT_FOUND
METHOD_NOT_ALLOWED = Outcome.METHOD_NOT_ALLOWED
REFUSED = frozenset({LOGIN, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED})


def expect(default: Outcome | None = None, **personas: Outcome) -> dict[str, Outcome]:
    """Every persona's outcome: those named, and `default` for the rest (required if any is left)."""
    unknown = set(personas) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Not personas: {sorted(unknown)}")
    left = [p for p in PERSONAS if p not in personas]
    if left and default is None:
        raise ValueError(f"No outcome for {left}")
    return {p: personas.get(p, default) for p in PERSONAS}  # type: ignore[misc]


def signed_in(default: Outcome | None = None, **personas: Outcome) -> dict[str, Outcome]:
    """As `expect`, with anonymous visitors sent to sign in."""
    return expect(default, **{"anonymous": LOGIN, **personas})


def granted(outcome: Outcome, personas: Iterable[str], **overrides: Outcome) -> dict[str, Outcome]:
    """`outcome` for `personas`, 403 for every other signed-in persona, then the overrides."""
    return signed_in(FORBIDDEN, **{**dict.fromkeys(personas, outcome), **overrides})


def pk(name: str) -> Callable[[SimpleNamespace], dict[str, Any]]:
    """A row's URL arguments: the primary key of the set-up object called `name`."""
    return lambda objects: {"pk": getattr(objects, name).pk}


def obj(name: str) -> Callable[[SimpleNamespace], Any]:
    """The set-up object called `name`, for a row's expectation about it."""
    return lambda objects: getattr(objects, name)


def _nothing(_: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Row:
    url: str
    get: Mapping[str, Outcome]
    post: Mapping[str, Outcome]
    kwargs: Callable[[SimpleNamespace], dict[str, Any]] = _nothing
    setup: Callable[[Cast], dict[str, Any]] = _nothing
    data: Callable[[SimpleNamespace], dict[str, Any]] = _nothing
    target: Callable[[SimpleNamespace], Model] | None = None
    query: str = ""
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for method in ("get", "post"):
            given = set(getattr(self, method))
            if given != set(PERSONAS):
                raise ValueError(f"{self.url} {method}: personas {sorted(set(PERSONAS) ^ given)} mismatch")

    @property
    def takes_object(self) -> bool:
        """Whether the URL names a record (it has kwargs): such rows must give a `target`."""
        return self.kwargs is not _nothing

    @property
    def key(self) -> str:
        """What the row covers: its URL name, or the single admin rule."""
        return ADMIN if self.url.split(":")[0] == ADMIN else self.url

    def objects(self, cast: Cast) -> SimpleNamespace:
        return SimpleNamespace(**vars(cast), **self.setup(cast))

    def path(self, objects: SimpleNamespace) -> str:
        return reverse(self.url, kwargs=self.kwargs(objects) or None) + self.query

    def expected(self, method: str, persona: str) -> Outcome:
        return (self.get if method == "GET" else self.post)[persona]


def url_names(patterns: Iterable[Any] | None = None, namespace: str = "") -> set[str]:
    """Every named URL pattern of the resolver, as "namespace:name"."""
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def rule_keys(names: Iterable[str]) -> set[str]:
    """The URL names that need a row, with the whole admin folded into one rule."""
    return {ADMIN if name.split(":")[0] == ADMIN else name for name in names}


def collect_rows() -> list[Row]:
    """The ROWS of every tests/security/matrix_*.py module."""
    import tests.security as package

    rows: list[Row] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("matrix_"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            rows += [Row(**{**vars(row), "source": info.name}) for row in module.ROWS]
    return rows


def missing_rows(names: Iterable[str], rows: Iterable[Row]) -> list[str]:
    """The URL names (or the admin rule) that no row covers."""
    return sorted(rule_keys(names) - {row.key for row in rows})


def outcome_of(response: HttpResponse) -> Outcome | int:
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"])
        sign_in_pages = {resolve_url(settings.LOGIN_URL), reverse("admin:login")}
        if location.path in sign_in_pages and "next=" in location.query:
            return LOGIN
        return REDIRECT
    by_status = {200: OK, 403: FORBIDDEN, 404: NOT_FOUND, 405: METHOD_NOT_ALLOWED}
    return by_status.get(response.status_code, response.status_code)


@contextmanager
def rolled_back_cast(
    django_db_blocker: Any, media: Any, prepare: Callable[[Cast], object] | None = None
) -> Iterator[Cast]:
    """One cast for a whole module, inside a transaction rolled back at the end; each test runs in a
    savepoint within it. `prepare(cast)` adds what the module needs on top."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cast = build_cast()
            if prepare is not None:
                prepare(cast)
            cast.open_sessions()
            yield cast
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def snapshot(record: Model) -> dict[str, Any]:
    """The record's row as the database holds it now."""
    return type(record)._default_manager.filter(pk=record.pk).values().get()

"""No link to a forbidden page: as each demo role, a walk from the home page follows every link the
pages show, and every one answers 200, or a redirect whose end the role may open; none answers 403,
404 or a server error. The demo town gives each page its records, so detail links are walked too.

On the way, no page and no export may show 5 or more digits of a stored phone number in something shaped
like a phone number, unless it recorded a reveal in the audit trail (a number shown in full on purpose,
to someone who may see it). A masked number keeps at most 3 and 4 of its digits
(congress.privacy.mask_phone, tests/congress/test_mask_phone.py).

The walk opens each address once whatever its query string, and at most a few addresses per URL name
(the fifth visit of a ledger adds nothing the first did not): some hundreds of requests per role.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from html.parser import HTMLParser
from io import BytesIO, StringIO
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from openpyxl import load_workbook

from congress.models import AuditAction, AuditEvent, Deputy, User
from visits.models import Household

# One login of each office role in the demo town (the installation's superuser is no office role).
DEMO_ROLES = ["bf_staff", "bf_chair", "bf_deputy1", "bf_agri", "bf_cadre", "hr_district"]
PER_URL_NAME = 3
# Links that change something when followed, or leave the portal's own pages.
SKIPPED_PREFIXES = ("/static/", "/media/", "/i18n/")
SKIPPED_NAMES = {"logout"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/") or href.startswith(SKIPPED_PREFIXES):
            continue
        found.append(href)
    return found


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


@pytest.fixture(scope="module")
def demo_town(django_db_setup, django_db_blocker):
    """The demo town, seeded once for the module inside a transaction that is rolled back after it."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def stored_phones() -> set[str]:
    """The digits of every phone number the database holds (users, deputies, households)."""
    numbers: set[str] = set()
    for model in (User, Deputy, Household):
        for phone in model.objects.exclude(phone="").values_list("phone", flat=True):
            digits = re.sub(r"[^0-9]", "", phone)
            if len(digits) >= RUN:
                numbers.add(digits)
    return numbers


# A shown run of this many digits found inside a stored number is that number leaking. Only what a reader
# sees is searched (text, a form's values, a text cell of an export), not addresses, ids and the values
# of choices, which are the pages' own record numbers and would match some stored number by chance.
RUN = 5
# Attributes that name or address something rather than show it.
ADDRESSING = {"href", "src", "action", "formaction", "id", "name", "for", "class", "aria-controls",
              "aria-describedby", "aria-labelledby", "data-url", "data-href", "integrity", "nonce"}  # fmt: skip


class _Shown(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        # A choice's value is the id of what it chooses (a box ticked, an option picked), never shown.
        chooses = tag == "option" or (tag == "input" and given.get("type") in ("checkbox", "radio", "hidden"))
        self.parts += [
            value for key, value in attrs if value and key not in ADDRESSING and not (chooses and key == "value")
        ]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_text(html: str) -> str:
    """What a page shows a reader: its text and its attributes' values, without addresses and ids."""
    parser = _Shown()
    parser.feed(html)
    return "\n".join(parser.parts)


def sheet_cells_text(values: Iterable[Any]) -> str:
    """The text cells among `values`: a phone is written as text; numbered cells are row numbers and counts."""
    return "\n".join(v for v in values if isinstance(v, str))


def sheet_text(content: bytes) -> str:
    """Every text cell of an exported workbook."""
    book = load_workbook(BytesIO(content), read_only=True)
    return sheet_cells_text(v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)


def unmasked_phones(text: str, phones: set[str] | dict[str, str]) -> set[str]:
    """The stored numbers of which a run of RUN or more digits shows in `text` inside something shaped
    like a phone number (seven or more digits, stars and hyphens: "13812345678", "138****5678"). A
    shorter number standing alone is an amount, a count or a house number of a free text, whatever
    digits it shares with a stored phone. `phones` may be given as `phone_windows(phones)`, read once
    for a whole walk."""
    windows = phones if isinstance(phones, dict) else phone_windows(phones)
    found = set()
    for token in re.findall(r"(?<![#0-9*-])[0-9*-]{7,}", text):  # "#12345678" is a record's number
        for run in re.findall(rf"[0-9]{{{RUN},}}", token):
            for i in range(len(run) - RUN + 1):
                phone = windows.get(run[i : i + RUN])
                if phone is not None:
                    found.add(phone)
    return found


def phone_windows(phones: set[str]) -> dict[str, str]:
    """Each run of RUN digits inside a stored number, with the number."""
    return {phone[i : i + RUN]: phone for phone in phones for i in range(len(phone) - RUN + 1)}


def walk(client: Client) -> tuple[list[str], int]:
    """Follow every link from the home page; the broken ones as 'page → link: status'. A page that shows
    a stored phone number in full counts as broken too, unless it recorded a reveal in the audit trail."""
    stored = stored_phones()
    windows = phone_windows(stored)
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen: set[str] = {"/"}
    walked: set[str] = set()
    opened: Counter[str] = Counter()
    broken: list[str] = []
    requests = 0
    while queue:
        path, referrer = queue.popleft()
        name = url_name(path)
        address = urlsplit(path).path
        # Who may follow a link depends on its address, not on its filters: one query string per address.
        if name in SKIPPED_NAMES or address in walked:
            continue
        walked.add(address)
        if name is not None:
            if opened[name] >= PER_URL_NAME:
                continue
            opened[name] += 1
        reveals = AuditEvent.objects.filter(action=AuditAction.REVEAL).count()
        exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
        response = client.get(path, follow=True)
        requests += 1
        if response.status_code != 200:
            hops = " → ".join(url for url, _ in response.redirect_chain)
            broken.append(f"{referrer} → {path}{' → ' + hops if hops else ''}: {response.status_code}")
            continue
        kind = response.get("Content-Type", "")
        if kind.startswith(XLSX):
            # An export: a full number only in the register's full export (staff), and recorded as one.
            shown = unmasked_phones(sheet_text(response.content), windows)
            full_export = "full=1" in path and AuditEvent.objects.filter(action=AuditAction.EXPORT).count() > exports
            if shown and not full_export:
                broken.append(f"{path} exports {len(shown)} phone number(s) in full: {sorted(shown)[:3]}")
            continue
        if "text/html" not in kind:
            continue
        shown = unmasked_phones(shown_text(response.content.decode()), windows)
        if shown and AuditEvent.objects.filter(action=AuditAction.REVEAL).count() == reveals:
            broken.append(
                f"{path} shows {len(shown)} phone number(s) in full without recording a reveal: {sorted(shown)[:3]}"
            )
        for href in links(response.content.decode()):
            if href not in seen:
                seen.add(href)
                queue.append((href, path))
    return broken, requests


@pytest.mark.xdist_group("demo_town_links")  # one worker seeds the demo town once for all roles
@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_link_a_role_is_shown_lets_it_in(demo_town, db, client, username):
    client.force_login(User.objects.get(username=username))

    broken, requests = walk(client)

    assert requests > 20  # the walk got past the home page
    assert broken == []


def test_the_phone_check_sees_a_number_in_full_and_passes_a_masked_one():
    stored = {"13812345678", "01069612399"}
    assert unmasked_phones(shown_text('<input name="phone" value="13812345678">'), stored) == {"13812345678"}
    assert unmasked_phones(shown_text("<td>69612399</td>"), stored) == {"01069612399"}
    assert unmasked_phones(shown_text("<td>13812*****8</td>"), stored) == {"13812345678"}  # five digits leak
    assert unmasked_phones(shown_text("<td>010-69612***</td>"), stored) == {"01069612399"}
    assert unmasked_phones(sheet_cells_text(["138123*****", 12345]), stored) == {"13812345678"}
    masked = (
        '<td>138****5678</td><td>010****2399</td><a href="/visits/12345/">12</a><form action="/x/61239/">'
        '<input type="checkbox" name="opinions" value="81234"><option value="45678">户主</option><td>住户 #34567</td>'
        "<p>赔偿12345元，门牌81234号</p>"
    )
    assert unmasked_phones(shown_text(masked), stored) == set()

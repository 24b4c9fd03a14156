"""The key pages over HTTP: a signed-in browser per user, the pages each user opens, and each page's median,
95th percentile and queries over its requests."""

from __future__ import annotations

import http.client
import re
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from scripts.bench_report import TIME_BUDGETS, Result, percentile
from scripts.bench_serving import PASSWORD


class Browser:
    """One signed-in user over HTTP: keeps its cookies, reads the CSRF token from forms."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, str, int]:
        """(status, body, queries) of one request."""
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.connection.close()  # gunicorn's sync workers close after each response; open anew
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, text, int(response.getheader("X-Query-Count", "-1"))

    def csrf(self, path: str) -> str:
        status, text, _q = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if status != 200 or not match:
            raise SystemExit(f"no form at {path} ({status})")
        return match.group(1)

    def sign_in(self, username: str) -> Browser:
        token = self.csrf("/accounts/login/")
        status, _text, _q = self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"could not sign in as {username} ({status})")
        return self


@dataclass
class Page:
    name: str
    user: str  # a username, or "" for a visitor
    path: str
    post: bool = False


def pages_for(facts: dict[str, Any]) -> list[Page]:
    ledger = "/visits/ledger/?" + urlencode({"method": "household", "date_from": facts["first_visit"]})
    pages = [
        Page("login page", "", "/accounts/login/"),
        Page("chairman dashboard", facts["chairman"], "/dashboard/"),
        Page("district overview", facts["district_user"], "/dashboard/district/"),
        Page("visit ledger, page 1", facts["staff"], ledger),
        Page("visit ledger, page 200", facts["staff"], ledger + "&page=200"),
        Page("household search (pinyin)", facts["staff"], "/visits/record/households/?q=" + facts["initials"]),
        Page("visit create (POST)", facts["staff"], "/visits/record/", post=True),
        Page("quota overview", facts["staff"], "/visits/quota/"),
        Page("division table", facts["staff"], "/supervision/table/"),
        Page("suggestion list", facts["staff"], "/suggestions/"),
        Page("deputy home", facts["deputy_user"], "/"),
        Page("admin changelist of visits", facts["admin"], "/admin/visits/visit/"),
    ]
    if facts.get("circular"):
        pages.insert(-2, Page("circular", facts["staff"], f"/supervision/circulars/{facts['circular']}/"))
    return pages


def visit_form(token: str, facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "csrfmiddlewaretoken": token,
        "idempotency_key": str(uuid.uuid4()),
        "deputies": [facts["deputy"]],
        "visited_on": facts["today"],
        "method": "household",
        "village": facts["village"],
        "household": facts["household"],
        "voter_name": "",
        "notes": "",
        "opinions-TOTAL_FORMS": "0",
        "opinions-INITIAL_FORMS": "0",
        "opinions-MIN_NUM_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "30",
    }


def measure(browser: Browser, page: Page, facts: dict[str, Any], *, repeats: int, warmup: int) -> Result:
    def once() -> tuple[float, int]:
        if page.post:
            form = visit_form(browser.csrf(page.path), facts)
            began = time.perf_counter()
            status, _text, queries = browser.request("POST", page.path, form)
            expected = 302  # a form shown again (200) means the visit was refused
        else:
            began = time.perf_counter()
            status, _text, queries = browser.request("GET", page.path)
            expected = 200
        elapsed = (time.perf_counter() - began) * 1000
        if status != expected:
            raise SystemExit(f"{page.name}: {page.path} answered {status}")
        return elapsed, queries

    for _ in range(warmup):
        once()
    samples = [once() for _ in range(repeats)]
    times = [t for t, _q in samples]
    return Result(
        page=page.name,
        user=page.user or "(visitor)",
        path=page.path,
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(percentile(times, 0.95), 1),
        queries=max(q for _t, q in samples),
        budget_ms=TIME_BUDGETS[page.name],
    )


def measure_pages(port: int, facts: dict[str, Any], *, repeats: int, warmup: int, only: str) -> list[Result]:
    browsers: dict[str, Browser] = {}
    results = []
    for page in pages_for(facts):
        if only not in page.name:
            continue
        if page.user not in browsers:
            browser = Browser(port)
            browsers[page.user] = browser.sign_in(page.user) if page.user else browser
        result = measure(browsers[page.user], page, facts, repeats=repeats, warmup=warmup)
        print(f"  {page.name:<30} {result.median_ms:8.1f} ms {result.queries:4d} q", file=sys.stderr)
        results.append(result)
    return results

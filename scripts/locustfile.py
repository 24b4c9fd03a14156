"""The mixed load of `make load` (scripts/load.py runs it headless against gunicorn on the loopback).

Each simulated user works as the office staff of one town (signed in beforehand: the session comes with
the town's rows in the JSON file named by LOAD_FACTS) and, waiting 1 to 3 seconds between actions,
reads (70 % of actions: the ledger, a deep ledger page, the dashboard, the household search, the quota
overview, the suggestions) or records a visit (30 %: the form, then its POST).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, task

FACTS: dict[str, Any] = json.loads(open(os.environ["LOAD_FACTS"], encoding="utf-8").read())  # noqa: SIM115
TOWNS = itertools.cycle(FACTS["towns"])
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.town: dict[str, Any] = next(TOWNS)
        self.client.cookies.set("sessionid", self.town["session"])

    @task(2)
    def ledger(self) -> None:
        self.client.get("/visits/ledger/?method=household", name="ledger")

    @task(1)
    def deep_ledger_page(self) -> None:
        self.client.get(f"/visits/ledger/?page={random.randint(50, 200)}", name="ledger, deep page")  # noqa: S311

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")

    @task(1)
    def household_search(self) -> None:
        q = random.choice(self.town["initials"])  # noqa: S311
        self.client.get(f"/visits/record/households/?q={q}", name="household search")

    @task(1)
    def quota_overview(self) -> None:
        self.client.get("/visits/quota/", name="quota overview")

    @task(1)
    def suggestions(self) -> None:
        self.client.get("/suggestions/", name="suggestion list")

    @task(3)
    def record_visit(self) -> None:
        form = self.client.get("/visits/record/", name="visit form")
        token = TOKEN.search(form.text)
        if token is None:
            return
        household = random.choice(self.town["households"])  # noqa: S311
        with self.client.post(
            "/visits/record/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "idempotency_key": str(uuid.uuid4()),
                "deputies": [self.town["deputy"]],
                "visited_on": FACTS["today"],
                "method": "household",
                "village": household["village"],
                "household": household["id"],
                "opinions-TOTAL_FORMS": "0",
                "opinions-INITIAL_FORMS": "0",
                "opinions-MIN_NUM_FORMS": "0",
                "opinions-MAX_NUM_FORMS": "30",
            },
            name="visit create (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:  # the form shown again: the visit was refused
                response.failure(f"visit not recorded ({response.status_code})")

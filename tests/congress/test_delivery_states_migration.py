"""Migration 0019 gives the deliveries stored before a state from what they recorded, and a key each; a
row that was claimed and neither sent nor given up was mid-send when the old relay stopped, so it is
unconfirmed, never sent again by itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from congress.models import Delivery

BEFORE = [("congress", "0018_free_text_has_a_limit")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Real commits: the migrations run on the test database and change its tables.
@pytest.mark.django_db(transaction=True)
def test_old_deliveries_get_the_state_they_had_and_a_key_each(cast):
    now = timezone.now()
    try:
        old_apps = _migrate(BEFORE)
        Notification = old_apps.get_model("congress", "Notification")
        OldDelivery = old_apps.get_model("congress", "Delivery")
        rows = {}
        for name, fields in {
            "sent": {"sent_at": now, "attempts": 1},
            "failed": {"failed_at": now, "attempts": 6},
            "waiting": {},
            "mid_send": {"claimed_until": now + dt.timedelta(minutes=5), "attempts": 0},
        }.items():
            note = Notification.objects.create(
                recipient_id=cast.deputy_user.pk, kind="test", subject=name, period="2026-11", title="提醒"
            )
            rows[name] = OldDelivery.objects.create(
                notification=note, channel="email", address="d@example.cn", **fields
            )
    finally:
        _migrate()  # whatever happened, the database ends at the latest state

    state = {name: Delivery.objects.get(pk=row.pk).state for name, row in rows.items()}
    assert state == {
        "sent": Delivery.State.SENT,
        "failed": Delivery.State.FAILED,
        "waiting": Delivery.State.PENDING,
        "mid_send": Delivery.State.UNKNOWN,
    }
    keys = set(Delivery.objects.values_list("key", flat=True))
    assert len(keys) == 4 and None not in keys

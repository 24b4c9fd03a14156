"""Deliveries record each attempt before sending and its result after, and carry a stable key.

Existing rows get a state from what they recorded: sent, given up, or waiting. A row that was claimed
and neither sent nor given up was being sent when the old relay stopped: whether it arrived is not
known, so it becomes "unconfirmed" for the office to check, never sent again blindly. Each row gets a
key of its own (the claim lease column is dropped: the state replaces it)."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def states_from_what_was_recorded(apps, schema_editor):
    # The updates below would leave deferred foreign-key checks pending, and PostgreSQL refuses to alter a
    # table with pending trigger events: check them at once here, and defer them again after.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Delivery = apps.get_model("congress", "Delivery")
    Delivery.objects.filter(sent_at__isnull=False).update(state="sent")
    Delivery.objects.filter(sent_at__isnull=True, failed_at__isnull=False).update(state="failed")
    Delivery.objects.filter(sent_at__isnull=True, failed_at__isnull=True, claimed_until__isnull=False).update(
        state="unknown", attempted_at=models.F("next_attempt_at")
    )
    for pk in Delivery.objects.filter(key__isnull=True).values_list("pk", flat=True).iterator():
        Delivery.objects.filter(pk=pk).update(key=uuid.uuid4())
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0018_free_text_has_a_limit"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="delivery", name="delivery_pending_idx"),
        migrations.AddField(
            model_name="delivery",
            name="attempted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last attempt at"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="key",
            field=models.UUIDField(editable=False, null=True, verbose_name="message key"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="provider_reference",
            field=models.CharField(blank=True, max_length=200, verbose_name="provider's reference"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="resolved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="resolved at"),
        ),
        migrations.AddField(
            model_name="delivery",
            name="resolved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="resolved by",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "waiting to be sent"),
                    ("sending", "being sent"),
                    ("sent", "sent"),
                    ("unknown", "unconfirmed, please check"),
                    ("failed", "given up"),
                ],
                default="pending",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(states_from_what_was_recorded, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="message key"),
        ),
        migrations.RemoveField(model_name="delivery", name="claimed_until"),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("state", "pending")), fields=["next_attempt_at"], name="delivery_pending_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("state__in", ["sending", "unknown"])),
                fields=["attempted_at"],
                name="delivery_open_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["pending", "sending", "sent", "unknown", "failed"])),
                name="delivery_state_valid",
            ),
        ),
    ]

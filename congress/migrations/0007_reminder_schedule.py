"""The reminder schedule, created once in django-celery-beat's tables (Asia/Shanghai).

Created here and never by settings, so an edit in the admin survives a restart of beat; re-running
the migration on a database that has the tasks leaves them as they are.
"""

from django.db import migrations

SWEEP = "reminders: daily sweep 08:30"
RELAY = "reminders: relay the outbox every minute"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    at_0830, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP,
        defaults={
            "task": "congress.tasks.daily_sweep",
            "crontab": at_0830,
            "description": "Decides in code what is due today: visit checks, deadlines, the Monday digest.",
        },
    )
    PeriodicTask.objects.get_or_create(
        name=RELAY,
        defaults={
            "task": "congress.tasks.relay_outbox",
            "interval": every_minute,
            "description": "Delivers outbox rows written by requests and sweeps; sent rows are skipped.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[SWEEP, RELAY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0006_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]

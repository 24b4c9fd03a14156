"""The monthly prune of the audit trail, created once in django-celery-beat's tables (Asia/Shanghai).

Like the reminder schedule: edited in the admin afterwards, never overwritten by settings.
"""

from django.db import migrations

PRUNE = "audit: prune past retention, 1st of the month 03:00"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    monthly, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="3", day_of_week="*", day_of_month="1", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=PRUNE,
        defaults={
            "task": "congress.tasks.prune_audit_trail",
            "crontab": monthly,
            "description": "Removes audit rows older than AUDIT_RETENTION_DAYS; never any younger than six months.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=PRUNE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0009_audit_trail"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]

"""Core tasks."""

from celery import shared_task
from django.db import connection


@shared_task
def ping_database() -> int:
    """Ask PostgreSQL for the number of towns: proves a worker reaches the broker and the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM congress_town")
        (count,) = cursor.fetchone()
    return int(count)

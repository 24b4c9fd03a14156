"""A task sent through the real Redis broker runs in a real worker against the test database."""

import pytest
from django.conf import settings

from congress.celery import app
from congress.models import District, Town
from congress.tasks import ping_database
from tests.conftest import TEST_REDIS_URL

pytestmark = pytest.mark.integration


# Real commits: tasks are sent on commit, and the worker reads the rows on a connection of its own.
@pytest.mark.django_db(transaction=True)
def test_worker_counts_the_towns_committed_by_the_test(celery_worker):
    district = District.objects.create(name="怀柔区")
    Town.objects.create(district=district, name="北房镇", slug="beifang")
    Town.objects.create(district=district, name="杨宋镇", slug="yangsong")

    # The portal keeps no task results; this call asks for its own to be stored on the test Redis.
    result = ping_database.apply_async(ignore_result=False)

    assert result.get(timeout=20) == 2
    result.forget()


def test_tests_send_tasks_to_their_own_redis_database_not_the_developers():
    assert app.conf.broker_url == TEST_REDIS_URL
    assert app.conf.broker_url != settings.CELERY_BROKER_URL

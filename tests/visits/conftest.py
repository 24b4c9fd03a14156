"""Fixtures of the visits tests: a category list and a household in the cast's village."""

import pytest

from tests.visits import factories
from visits.models import OpinionCategory


@pytest.fixture
def categories(cast):
    return list(OpinionCategory.objects.for_town(cast.town))


@pytest.fixture
def household(cast):
    return factories.HouseholdFactory(
        town=cast.town, village=cast.village, head_name="张晓明", address="北街5号", phone="13812345678"
    )


def count_queries(client, url):
    """How many queries a GET of `url` runs (the query-budget tests compare two data sizes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)

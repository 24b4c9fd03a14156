"""The visit form sent twice at the same moment (two threads, two connections) stores one visit."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.concurrency import post_together
from tests.figures import report
from tests.visits.test_record_views import visit_post
from visits.models import Opinion, Visit

# Real commits: two requests on connections of their own race for one idempotency key; only a committed
# row and PostgreSQL's unique index decide which one wins.
pytestmark = pytest.mark.django_db(transaction=True)


@time_machine.travel(dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC), tick=False)
def test_two_simultaneous_submits_of_one_visit_form_store_one_visit(cast, household, categories):
    data = visit_post(cast, household, categories)
    url = reverse("visits:visit_create")
    responses = post_together([(cast.staff, url, data), (cast.staff, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    assert Visit.objects.count() == 1
    assert Opinion.objects.count() == 2
    report("a visit form submitted twice at once: 1 visit, 2 opinions (not 4)")

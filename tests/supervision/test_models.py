import pytest
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from supervision.models import Circular
from tests.supervision.factories import ReviewRoundFactory


def make_circular(cast, **kw):
    round_ = ReviewRoundFactory(town=cast.town, opened_by=cast.staff)
    return Circular.objects.create(
        town=cast.town, round=round_, title="2026年4月民生实事调度通报", drafted_by=cast.staff, **kw
    )


def test_database_refuses_to_change_a_published_circular(cast):
    circular = make_circular(cast)
    circular.status = Circular.Status.PUBLISHED
    circular.published_by = cast.chairman
    circular.published_at = timezone.now()
    circular.save()
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Circular.objects.filter(pk=circular.pk).update(title="改过的标题")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Circular.objects.filter(pk=circular.pk).delete()
    circular.refresh_from_db()
    assert circular.title == "2026年4月民生实事调度通报"


def test_database_lets_a_draft_change(cast):
    circular = make_circular(cast)
    Circular.objects.filter(pk=circular.pk).update(title="修改稿")
    circular.refresh_from_db()
    assert circular.title == "修改稿"


def test_a_round_has_at_most_one_draft(cast):
    circular = make_circular(cast)
    with pytest.raises(IntegrityError):
        Circular.objects.create(
            town=cast.town, round=circular.round, version=2, corrects=circular, title="第二稿", drafted_by=cast.staff
        )

"""Activities (履职活动), first-term training, reception days (接待日) and their receptions."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from congress.models import Attachment, Deputy
from congress.services import change_term
from duty import services as svc
from duty.models import Activity, ReceptionDuty
from tests import factories
from tests.visits.factories import OpinionCategoryFactory
from visits.models import Opinion, Visit
from visits.services import OpinionData

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def late_november():
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)):
        yield


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


def station(cast):
    return factories.VenueFactory(town=cast.town, village=cast.village)


def test_staff_record_an_activity_with_participants_and_a_photo(cast):
    activity = svc.record_activity(
        by=cast.staff,
        kind=Activity.Kind.INSPECTION,
        title="视察乡村公路大修",
        held_on=dt.date(2026, 5, 8),
        participants=[cast.deputy, cast.other_deputy],
        photos=[photo()],
    )
    assert set(activity.participants.all()) == {cast.deputy, cast.other_deputy}
    assert Attachment.objects.get(object_id=activity.pk).mime_type == "image/jpeg"


def test_a_deputy_of_another_town_cannot_take_part(cast):
    outsider = factories.DeputyFactory(town=cast.other_town)
    with pytest.raises(ValidationError) as exc:
        svc.record_activity(
            by=cast.staff,
            kind=Activity.Kind.TRAINING,
            title="培训",
            held_on=dt.date(2026, 5, 8),
            participants=[outsider],
        )
    assert "participants" in exc.value.message_dict
    assert not Activity.objects.exists()


def test_an_activity_cannot_be_in_the_future(cast):
    with pytest.raises(ValidationError):
        svc.record_activity(by=cast.staff, kind=Activity.Kind.TRAINING, title="培训", held_on=dt.date(2026, 12, 1))


def test_the_create_page_records_the_activity(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("activities:create"),
        {
            "kind": "research",
            "title": "调研养老服务",
            "held_on": "2026-06-01",
            "participants": [cast.deputy.pk],
            "photo": photo(),
        },
    )
    activity = Activity.objects.get(title="调研养老服务")
    assert response.status_code == 302
    assert activity.photos.count() == 1


def test_a_deputy_lists_only_the_activities_they_took_part_in(client, cast):
    mine = svc.record_activity(
        by=cast.staff, kind="group", title="代表小组活动", held_on=dt.date(2026, 4, 1), participants=[cast.deputy]
    )
    svc.record_activity(
        by=cast.staff, kind="group", title="另一组活动", held_on=dt.date(2026, 4, 2), participants=[cast.other_deputy]
    )
    client.force_login(cast.deputy_user)
    response = client.get(reverse("activities:list"), {"year": 2026})
    assert list(response.context["activities"]) == [mine]


def test_first_term_deputies_training_attendance_is_visible(client, cast):
    newcomer = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, is_first_term=True)
    for day, people in ((dt.date(2026, 3, 1), [newcomer]), (dt.date(2026, 4, 1), [])):
        svc.record_activity(by=cast.staff, kind="training", title="履职培训", held_on=day, participants=people)
    held, rows = svc.first_term_training(town=cast.town, year=2026)
    assert held == 2
    assert [(r.deputy, r.trainings) for r in rows] == [(newcomer, 1)]
    client.force_login(cast.chairman)
    assert client.get(reverse("activities:training"), {"year": 2026}).context["towns"][0][2][0].trainings == 1


def test_the_roster_prints_the_deputies_on_duty_at_each_station(client, cast):
    venue = station(cast)
    svc.set_reception_duty(by=cast.staff, venue=venue, on_date=dt.date(2026, 11, 15), deputies=[cast.deputy])
    client.force_login(cast.cadre)
    response = client.get(reverse("activities:roster_print"), {"month": "2026-11"})
    assert cast.deputy.name in response.content.decode()
    assert list(response.context["duties"]) == list(ReceptionDuty.objects.all())


def test_setting_a_duty_again_replaces_who_is_on_duty(cast):
    venue = station(cast)
    svc.set_reception_duty(by=cast.staff, venue=venue, on_date=dt.date(2026, 11, 15), deputies=[cast.deputy])
    duty = svc.set_reception_duty(
        by=cast.staff, venue=venue, on_date=dt.date(2026, 11, 15), deputies=[cast.other_deputy]
    )
    assert ReceptionDuty.objects.count() == 1
    assert list(duty.deputies.all()) == [cast.other_deputy]


def test_the_deputies_home_is_not_a_station_for_reception_days(cast):
    home = factories.VenueFactory(town=cast.town, kind="home")
    with pytest.raises(ValidationError):
        svc.set_reception_duty(by=cast.staff, venue=home, on_date=dt.date(2026, 11, 15), deputies=[cast.deputy])


def test_a_reception_is_a_station_visit_whose_opinion_awaits_triage(cast):
    duty = svc.set_reception_duty(
        by=cast.staff, venue=station(cast), on_date=dt.date(2026, 11, 15), deputies=[cast.deputy]
    )
    category = OpinionCategoryFactory(town=cast.town)
    visit = svc.record_reception(
        by=cast.deputy_user,
        duty=duty,
        idempotency_key=uuid.uuid4(),
        deputies=[cast.deputy],
        voter_name="王大爷",
        opinions=[OpinionData(category=category, text="村口缺路灯")],
    )
    assert (visit.method, visit.visited_on, visit.village) == ("station", duty.on_date, cast.village)
    assert list(Opinion.objects.untriaged().filter(visit=visit).values_list("text", flat=True)) == ["村口缺路灯"]


def test_a_deputy_off_duty_cannot_be_credited_with_a_reception(cast):
    duty = svc.set_reception_duty(
        by=cast.staff, venue=station(cast), on_date=dt.date(2026, 11, 15), deputies=[cast.deputy]
    )
    with pytest.raises(ValidationError):
        svc.record_reception(by=cast.staff, duty=duty, idempotency_key=uuid.uuid4(), deputies=[cast.other_deputy])
    assert not Visit.objects.exists()


def test_the_reception_page_records_a_voter(client, cast):
    duty = svc.set_reception_duty(
        by=cast.staff, venue=station(cast), on_date=dt.date(2026, 11, 15), deputies=[cast.deputy]
    )
    client.force_login(cast.deputy_user)
    response = client.post(
        reverse("activities:reception", args=[duty.pk]),
        {"deputies": [cast.deputy.pk], "voter_name": "赵阿姨", "idempotency_key": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert Visit.objects.get().voter_name == "赵阿姨"


def test_a_change_of_term_ends_every_service_and_carries_the_reelected_over(cast):
    ended = change_term(
        by=cast.staff, town=cast.town, last_day=dt.date(2026, 12, 31), new_term=19, reelected=[cast.deputy]
    )
    assert ended == 2
    assert set(Deputy.objects.filter(served_until=dt.date(2026, 12, 31))) == {cast.deputy, cast.other_deputy}
    successor = Deputy.objects.get(term=19)
    assert (successor.name, successor.served_from, successor.user) == (
        cast.deputy.name,
        dt.date(2027, 1, 1),
        cast.deputy_user,
    )


def test_the_turn_page_copies_the_plan(client, cast):
    factories.AnnualPlanFactory(town=cast.town, year=2026, visits_per_month=4)
    client.force_login(cast.staff)
    client.post(reverse("activities:turn"), {"action": "copy", "from_year": 2026, "to_year": 2027})
    from congress.models import AnnualPlan

    assert AnnualPlan.objects.get(town=cast.town, year=2027).visits_per_month == 4


def _queries(client, name, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_a_months_records(cast, venue, n):
    """One more activity of each kind with a first-term participant and a photo, and one more duty day."""
    newcomer = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, is_first_term=True)
    for kind in ("inspection", "training"):
        svc.record_activity(
            by=cast.staff,
            kind=kind,
            title=f"{kind}{n}",
            held_on=dt.date(2026, 10, n),
            venue=venue,
            participants=[cast.deputy, newcomer],
            photos=[photo()],
        )
    svc.set_reception_duty(by=cast.staff, venue=venue, on_date=dt.date(2026, 11, n), deputies=[cast.deputy, newcomer])


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("activities:list", {"year": 2026}),
        ("activities:training", {"year": 2026}),
        ("activities:roster", {"month": "2026-11"}),
        ("activities:roster_print", {"month": "2026-11"}),
    ],
)
def test_the_lists_of_the_year_take_as_many_queries_for_many_rows_as_for_few(
    client, cast, settings, tmp_path, name, params
):
    settings.MEDIA_ROOT = tmp_path
    venue = station(cast)
    client.force_login(cast.staff)
    _add_a_months_records(cast, venue, 1)
    few = _queries(client, name, params)
    for n in range(2, 7):
        _add_a_months_records(cast, venue, n)
    assert _queries(client, name, params) == few


def test_the_turn_page_changes_the_term(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("activities:turn"),
        {"action": "term", "last_day": "2026-11-26", "new_term": cast.deputy.term + 1, "reelected": [cast.deputy.pk]},
    )
    assert response.status_code == 302
    assert set(Deputy.objects.filter(served_until=dt.date(2026, 11, 26))) == {cast.deputy, cast.other_deputy}
    assert Deputy.objects.get(term=cast.deputy.term + 1).served_from == dt.date(2026, 11, 27)


def test_the_turn_page_refuses_a_term_that_is_not_new_on_its_field(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("activities:turn"), {"action": "term", "last_day": "2026-11-26", "new_term": cast.deputy.term}
    )
    assert response.status_code == 200
    assert response.context["term_form"].errors["new_term"] == ["新一届届次须大于本届。"]
    assert not Deputy.objects.filter(served_until__isnull=False).exists()

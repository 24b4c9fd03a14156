import datetime as dt
import io
import random

from demo.supervision import seed_demo_records
from supervision.models import (
    Circular,
    LightReason,
    LivelihoodProject,
    MeetingDecision,
    ProblemMeeting,
    ProjectProblem,
    ProjectReview,
)

TODAY = dt.date(2026, 11, 27)


def seed(cast):
    seed_demo_records(towns=[cast.town], rng=random.Random(7), today=TODAY, stdout=io.StringIO())


def prepare_shared_cast(cast):
    """Seeded once for the module's tests (seeding is the slow part; each test's changes roll back)."""
    seed(cast)


def test_demo_shows_every_light_a_recovered_yellow_circulars_problems_and_a_settled_last_year(cast):
    assert set(LivelihoodProject.objects.values_list("year", flat=True)) == {2025, 2026}
    lights = set(ProjectReview.objects.recorded().values_list("light", "light_reason"))
    assert {light for light, _ in lights} == {"green", "yellow", "red"}
    assert ("yellow", LightReason.RECOVERED) in lights
    assert ("red", LightReason.PAST_DEADLINE) in lights
    assert Circular.objects.published().filter(round__year=2025).count() == 5
    assert ProjectProblem.objects.exists()
    assert MeetingDecision.objects.filter(done_on__isnull=False).exists()
    assert MeetingDecision.objects.filter(done_on__isnull=True).exists()
    # Last year's problems were solved; this year's are still being solved.
    solved = set(ProjectProblem.objects.with_solved().values_list("project__year", "solved"))
    assert solved == {(2025, True), (2026, False)}
    assert set(ProblemMeeting.objects.values_list("kind", flat=True)) == {"onsite", "consultation"}
    assert not Circular.objects.published().filter(pdf="").exists()
    statuses = set(LivelihoodProject.objects.filter(year=2025).values_list("status", flat=True))
    assert statuses == {"completed", "terminated", "rejected"}


def test_demo_runs_again_without_adding_anything(cast):
    counts = (LivelihoodProject.objects.count(), ProjectReview.objects.count(), Circular.objects.count())
    seed(cast)
    assert (LivelihoodProject.objects.count(), ProjectReview.objects.count(), Circular.objects.count()) == counts


def test_demo_draws_the_same_projects_from_the_same_seed(cast):
    first = list(LivelihoodProject.objects.order_by("year", "position").values_list("name", "investment", "deadline"))
    # The other town gets the same draws from the same seed, so the rows match name for name.
    from tests.factories import DepartmentFactory, DeputyFactory, UserFactory, VillageFactory

    VillageFactory(town=cast.other_town, name="北房村")
    VillageFactory(town=cast.other_town, name="宰相庄村")
    DepartmentFactory(town=cast.other_town, name="农业农村办")
    DeputyFactory.create_batch(2, town=cast.other_town)
    UserFactory(town=cast.other_town, username="other_staff")
    seed_demo_records(towns=[cast.other_town], rng=random.Random(7), today=TODAY, stdout=io.StringIO())
    second = list(
        LivelihoodProject.objects.filter(town=cast.other_town)
        .order_by("year", "position")
        .values_list("name", "investment", "deadline")
    )
    assert second == first

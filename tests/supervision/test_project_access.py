from congress import access
from supervision.models import LivelihoodProject, MonthlyTarget
from tests.factories import DepartmentFactory
from tests.supervision.factories import LivelihoodProjectFactory, MonthlyTargetFactory


def test_deputies_see_only_the_projects_they_supervise(cast):
    mine = LivelihoodProjectFactory(town=cast.town, supervisors=[cast.deputy, cast.other_deputy])
    LivelihoodProjectFactory(town=cast.town, supervisors=[cast.other_deputy])
    assert list(access.scope(cast.deputy_user, LivelihoodProject)) == [mine]


def test_departments_see_projects_they_lead_or_cooperate_on(cast):
    other = DepartmentFactory(town=cast.town, name="城建科")
    led = LivelihoodProjectFactory(town=cast.town, lead_department=cast.department)
    helped = LivelihoodProjectFactory(town=cast.town, lead_department=other, cooperating_departments=[cast.department])
    LivelihoodProjectFactory(town=cast.town, lead_department=other)
    assert set(access.scope(cast.department_user, LivelihoodProject)) == {led, helped}


def test_staff_chairman_and_district_read_the_whole_town_but_outsiders_nothing(cast):
    LivelihoodProjectFactory.create_batch(2, town=cast.town)
    for user in (cast.staff, cast.chairman, cast.district_user):
        assert access.scope(user, LivelihoodProject).count() == 2
    for user in (cast.outsider_staff, cast.cadre):
        assert not access.scope(user, LivelihoodProject).exists()


def test_targets_follow_their_projects_scope(cast):
    mine = MonthlyTargetFactory(project=LivelihoodProjectFactory(town=cast.town, supervisors=[cast.deputy]))
    MonthlyTargetFactory(project=LivelihoodProjectFactory(town=cast.town))
    assert list(access.scope(cast.deputy_user, MonthlyTarget)) == [mine]

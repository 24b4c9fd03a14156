import pytest
from django.http import Http404

from congress import access
from congress.models import Deputy, Village
from tests import factories


def test_staff_see_only_their_towns_villages(cast):
    factories.VillageFactory(town=cast.other_town, name="溪翁庄村")
    names = set(access.scope(cast.staff, Village).values_list("name", flat=True))
    assert names == {"北房村", "宰相庄村"}


def test_village_cadre_sees_only_their_village(cast):
    assert list(access.scope(cast.cadre, Village)) == [cast.village]


def test_deputy_sees_own_record_and_gets_404_for_another(cast):
    assert list(access.scope(cast.deputy_user, Deputy)) == [cast.deputy]
    with pytest.raises(Http404):
        access.get_object_or_404(cast.deputy_user, Deputy, pk=cast.other_deputy.pk)


def test_district_user_reads_the_towns_of_their_district_only(cast):
    neighbour = factories.TownFactory(district=cast.town.district, name="桥梓镇")
    factories.VillageFactory(town=neighbour, name="前桥梓村")
    factories.VillageFactory(town=cast.other_town, name="溪翁庄村")
    names = set(access.scope(cast.district_user, Village).values_list("name", flat=True))
    assert names == {"北房村", "宰相庄村", "前桥梓村"}
    assert set(access.towns(cast.district_user)) == {cast.town, neighbour}


def test_anonymous_and_inactive_users_see_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    cast.staff.is_active = False
    assert not access.scope(AnonymousUser(), Village).exists()
    assert not access.scope(cast.staff, Village).exists()


def test_superuser_sees_every_town(cast):
    factories.VillageFactory(town=cast.other_town)
    assert access.scope(cast.superuser, Village).count() == 3


def test_only_staff_may_manage_reference_data(cast):
    allowed = {
        p
        for p in ("staff", "cadre", "chairman", "deputy_user", "department_user", "district_user")
        if access.can(getattr(cast, p), "congress.manage_reference")
    }
    assert allowed == {"staff"}


def test_unknown_action_is_a_programming_error(cast):
    with pytest.raises(KeyError):
        access.can(cast.staff, "congress.no_such_action")

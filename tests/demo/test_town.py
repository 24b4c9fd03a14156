"""seed_demo: the demo district modelled on 北房镇, its logins, and the hook the other apps plug into."""

from __future__ import annotations

import importlib
import importlib.machinery
import io
import sys
import types

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from congress.models import AnnualPlan, Constituency, Department, Deputy, District, Town, User, Venue, Village
from congress.roles import Role
from demo import town as demo

REAL_BUILDERS = demo.APP_SEEDERS  # read before the autouse fixture below empties it

MODELS = (
    District,
    Town,
    Village,
    Constituency,
    Constituency.villages.through,
    Department,
    Venue,
    Deputy,
    User,
    AnnualPlan,
)


@pytest.fixture(autouse=True)
def core_only(monkeypatch) -> None:
    """The other apps test their own demo records; here only the core runs, unless a test plugs in fakes."""
    monkeypatch.setattr(demo, "APP_SEEDERS", ())


def seed(settings) -> str:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def output(db, settings) -> str:
    return seed(settings)


@pytest.fixture
def beifang(output) -> Town:
    return Town.objects.get(slug="beifang")


def test_beifang_has_two_communities_and_sixteen_villages(beifang):
    assert beifang.district.name == "怀柔区"
    assert beifang.villages.count() == 18
    assert beifang.villages.filter(kind=Village.Kind.COMMUNITY).count() == 2
    confirmed = [
        "北房村",
        "宰相庄村",
        "安各庄村",
        "胜利村",
        "梨园庄村",
        "新房子村",
        "黄吉营村",
        "小周各庄村",
        "郑家庄村",
    ]
    assert beifang.villages.filter(name__in=confirmed).count() == 9


def test_beifang_has_about_sixty_deputies_in_office(beifang, output):
    serving = beifang.deputies.serving_now()
    assert 55 <= serving.count() <= 65
    assert 55 <= beifang.deputies.count() <= 65
    women = serving.filter(gender=Deputy.Gender.FEMALE).count()
    assert 0.2 <= women / serving.count() <= 0.4
    assert not serving.exclude(birth_year__range=(1955, 1995)).exists()
    assert serving.filter(is_first_term=True).exists() and serving.filter(is_first_term=False).exists()


def test_deputies_who_left_office_have_first_term_successors_in_their_constituency(beifang):
    former = beifang.deputies.filter(served_until__isnull=False)
    assert 1 <= former.count() <= 2
    for deputy in former:
        successors = beifang.deputies.filter(constituency=deputy.constituency, served_from__gt=deputy.served_until)
        assert successors.filter(is_first_term=True).exists()


def test_every_constituency_elects_one_to_three_and_its_seats_equal_its_serving_deputies(output):
    today = timezone.localdate()
    for constituency in Constituency.objects.all():
        serving = constituency.deputies.serving_on(today).count()
        assert 1 <= constituency.seats <= 3
        assert constituency.seats == serving, constituency
        assert 1 <= constituency.villages.count() <= 2


def test_beifang_has_about_twenty_five_constituencies_covering_every_village(beifang):
    assert 20 <= beifang.constituencies.count() <= 30
    assert not beifang.villages.annotate(n=Count("constituencies")).filter(n=0).exists()


def test_deputy_names_are_unique_within_a_town(output):
    assert not Deputy.objects.values("town", "name").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_beifang_has_a_deputies_home_and_liaison_stations_in_villages(beifang):
    assert beifang.venues.filter(kind=Venue.Kind.HOME).count() == 1
    stations = beifang.venues.filter(kind=Venue.Kind.STATION)
    assert 5 <= stations.count() <= 8
    assert not stations.filter(Q(village__isnull=True) | Q(reception_days="")).exists()
    assert beifang.departments.filter(name="农业农村办公室").exists()


def test_two_smaller_towns_share_the_district(beifang):
    for slug in ("qiaozi", "yangsong"):
        town = Town.objects.get(slug=slug)
        assert town.district_id == beifang.district_id
        assert 6 <= town.villages.count() <= 8
        assert 20 <= town.deputies.serving_now().count() <= 30


def test_every_town_has_this_and_last_years_plan(output):
    year = timezone.localdate().year
    for town in Town.objects.all():
        assert set(town.plans.values_list("year", flat=True)) == {year - 1, year}


def test_there_is_a_login_for_every_role(output):
    roles = set(User.objects.exclude(role="").values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.filter(username="admin", is_superuser=True, is_staff=True).exists()
    assert User.objects.filter(role=Role.CHAIRMAN, town__slug="beifang").count() == 2
    assert User.objects.filter(role=Role.STAFF, town__slug="qiaozi").exists()
    assert User.objects.get(role=Role.VILLAGE_CADRE).village.name == "北房村"
    assert User.objects.get(role=Role.DEPARTMENT).department.name == "农业农村办公室"


def test_deputy_logins_are_linked_to_deputies_and_elderly_deputies_have_none(beifang):
    deputy_users = User.objects.filter(role=Role.DEPUTY)
    assert 2 <= deputy_users.count() <= 6
    assert all(hasattr(user, "deputy") and user.deputy.town_id == beifang.pk for user in deputy_users)
    assert not beifang.deputies.filter(user__isnull=False, birth_year__lt=1965).exists()


def test_every_printed_login_works_with_the_printed_password(output, client):
    assert demo.DEMO_PASSWORD in output
    for user in User.objects.all():
        assert user.username in output
        # django-axes needs the request to know where a sign-in comes from.
        assert client.login(request=HttpRequest(), username=user.username, password=demo.DEMO_PASSWORD), user.username
        client.logout()


def test_the_demo_password_passes_the_password_validators(output):
    for user in User.objects.all():
        validate_password(demo.DEMO_PASSWORD, user)


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not Town.objects.exists()
    assert not User.objects.exists()


def test_running_seed_demo_twice_creates_no_duplicates(output, settings):
    first = {model: model.objects.count() for model in MODELS}
    names = sorted(Deputy.objects.values_list("town__slug", "name", "birth_year", "phone"))

    seed(settings)

    assert {model: model.objects.count() for model in MODELS} == first
    assert sorted(Deputy.objects.values_list("town__slug", "name", "birth_year", "phone")) == names


def test_running_seed_demo_again_keeps_what_someone_changed(output, settings):
    staff = User.objects.get(username="bf_staff")
    staff.set_password("Another-password-9")
    staff.save()
    Deputy.objects.filter(town__slug="beifang").update(phone="")

    seed(settings)

    staff.refresh_from_db()
    assert staff.check_password("Another-password-9")
    assert not Deputy.objects.filter(town__slug="beifang").exclude(phone="").exists()


def test_seed_demo_restores_a_deleted_row(output, settings):
    Venue.objects.filter(name="北房村代表联络站").delete()

    seed(settings)

    assert Venue.objects.filter(name="北房村代表联络站", village__name="北房村").exists()


def fake_builder(monkeypatch, label: str, calls: list) -> tuple[str, str, str]:
    """Install a stand-in builder module for the app `label` that records how it was called."""
    name = f"demo.fake_{label}"
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)

    def seed_demo_records(*, towns, rng, today, stdout):
        calls.append((label, [town.slug for town in towns], rng.random(), today))
        stdout.write(f"{label} seeded")

    module.seed_demo_records = seed_demo_records
    monkeypatch.setitem(sys.modules, name, module)
    return (label, label, name)


def test_the_builders_of_installed_apps_add_their_records_in_order(db, settings, monkeypatch):
    calls: list = []
    builders = (fake_builder(monkeypatch, "visits", calls), fake_builder(monkeypatch, "supervision", calls))
    monkeypatch.setattr(demo, "APP_SEEDERS", builders)

    output = seed(settings)

    assert [call[0] for call in calls] == ["visits", "supervision"]
    assert all(call[1] == ["beifang", "qiaozi", "yangsong"] for call in calls)
    assert calls[0][3] == timezone.localdate()
    assert "visits seeded" in output


def test_each_app_draws_the_same_random_numbers_on_every_run(db, settings, monkeypatch):
    calls: list = []
    monkeypatch.setattr(demo, "APP_SEEDERS", (fake_builder(monkeypatch, "visits", calls),))

    seed(settings)
    seed(settings)

    assert calls[0][2] == calls[1][2]


def test_every_builder_of_the_demo_is_a_module_of_the_demo_app_with_its_seeder():
    builders = REAL_BUILDERS
    assert [module for _, _, module in builders] == [
        "demo.visits",
        "demo.suggestions",
        "demo.supervision",
        "demo.keyworks",
        "demo.activities",
    ]
    assert all(callable(importlib.import_module(module).seed_demo_records) for _, _, module in builders)


def test_a_builder_whose_app_is_not_installed_is_skipped(monkeypatch):
    monkeypatch.setattr(demo, "APP_SEEDERS", (("absent_app", "absent_app", "demo.visits"),))
    assert demo.app_seeders() == []

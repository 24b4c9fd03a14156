import pytest
from django.urls import reverse

from visits.models import DEFAULT_OPINION_CATEGORIES, OpinionCategory

pytestmark = pytest.mark.django_db


def test_staff_see_the_seeded_categories_and_add_one(client, cast):
    client.force_login(cast.staff)
    response = client.get(reverse("visits:category_list"))
    assert [c.name for c in response.context["categories"]] == DEFAULT_OPINION_CATEGORIES
    client.post(reverse("visits:category_list"), {"name": "文化体育", "position": 20, "is_active": "on"})
    assert OpinionCategory.objects.filter(town=cast.town, name="文化体育").exists()


def test_a_category_name_is_used_once_per_town(client, cast, categories):
    client.force_login(cast.staff)
    response = client.post(reverse("visits:category_list"), {"name": "就业", "position": 1, "is_active": "on"})
    assert list(response.context["form"].errors) == ["name"]
    assert OpinionCategory.objects.filter(town=cast.town, name="就业").count() == 1


def test_a_category_taken_out_of_use_leaves_the_visit_form(client, cast, categories):
    client.force_login(cast.staff)
    employment = categories[0]
    client.post(reverse("visits:category_edit", args=[employment.pk]), {"name": "就业", "position": 0})
    employment.refresh_from_db()
    assert not employment.is_active
    form = client.get(reverse("visits:visit_create")).context["formset"].forms[0]
    assert employment not in form.fields["category"].queryset


def test_another_towns_category_is_a_404(client, cast):
    foreign = OpinionCategory.objects.for_town(cast.other_town).first()
    client.force_login(cast.staff)
    assert client.get(reverse("visits:category_edit", args=[foreign.pk])).status_code == 404


def test_categories_are_kept_by_staff_only(client, cast):
    client.force_login(cast.cadre)
    assert client.get(reverse("visits:category_list")).status_code == 403

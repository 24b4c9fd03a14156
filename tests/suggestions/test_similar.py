"""Similar past suggestions by character bigrams (pg_trgm finds nothing in Chinese)."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from suggestions import services as svc
from suggestions.models import Suggestion
from tests import factories
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State


def submitted(cast, title, **kw):
    return suggestion_in_state(State.SUBMITTED, proposer=cast.deputy, staff=cast.staff, title=title, **kw)


def test_title_bigrams_are_overlapping_pairs_of_chinese_characters():
    assert svc.title_bigrams("村里路灯") == ["村里", "路灯", "里路"]


def test_common_words_of_suggestion_titles_are_not_bigrams():
    assert "建议" not in svc.title_bigrams("建议村里安装路灯")


def test_similar_titles_are_found_and_unrelated_ones_are_not(cast):
    lamps = submitted(cast, "村里路灯不亮请安装")
    submitted(cast, "加强学校周边交通安全管理")
    found = svc.similar_suggestions(town=cast.town, title="建议村里安装路灯")
    assert found == [lamps]


def test_one_shared_bigram_is_not_similar(cast):
    submitted(cast, "村里道路硬化")
    assert svc.similar_suggestions(town=cast.town, title="建议村里安装路灯") == []


def test_more_shared_bigrams_rank_first(cast):
    weak = submitted(cast, "村里路灯维修")
    strong = submitted(cast, "村里路灯不亮请安装")
    assert svc.similar_suggestions(town=cast.town, title="建议村里安装路灯") == [strong, weak]


def test_other_towns_and_drafts_are_not_shown(cast):
    suggestion_in_state(State.DRAFT, proposer=cast.deputy, staff=cast.staff, title="村里路灯不亮请安装")
    outsider = factories.DeputyFactory(town=cast.other_town)
    suggestion_in_state(State.SUBMITTED, proposer=outsider, staff=cast.outsider_staff, title="村里路灯不亮请安装")
    assert svc.similar_suggestions(town=cast.town, title="建议村里安装路灯") == []


def test_the_search_uses_the_gin_index(cast):
    submitted(cast, "村里路灯不亮请安装")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        qs = Suggestion.objects.similar_to(svc.title_bigrams("建议村里安装路灯"))
        plan = qs.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "suggestion_title_bigrams_gin" in plan


def test_the_form_asks_for_similar_suggestions_while_the_title_is_typed(client, cast):
    lamps = submitted(cast, "村里路灯不亮请安装")
    client.force_login(cast.other_deputy_user)
    response = client.get(reverse("suggestions:similar"), {"title": "建议村里安装路灯"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert list(response.context["similar"]) == [lamps]


def test_a_village_cadre_may_not_ask(client, cast):
    client.force_login(cast.cadre)
    assert client.get(reverse("suggestions:similar"), {"title": "建议村里安装路灯"}).status_code == 403


def test_a_short_title_asks_nothing(client, cast):
    submitted(cast, "村里路灯不亮请安装")
    client.force_login(cast.deputy_user)
    response = client.get(reverse("suggestions:similar"), {"title": "村"})
    assert list(response.context["similar"]) == []

"""The printed forms of a suggestion: the assignment form (交办单) and the reply letter (答复函)."""

from __future__ import annotations

from django.urls import reverse

from suggestions.models import Suggestion
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State


def at(state, cast, **kw):
    return suggestion_in_state(state, proposer=cast.deputy, staff=cast.staff, department=cast.department, **kw)


def test_the_department_prints_the_assignment_form(client, cast):
    s = at(State.ASSIGNED, cast, joint=[cast.other_deputy])
    client.force_login(cast.department_user)
    response = client.get(reverse("suggestions:print_assignment", args=[s.pk]))
    assert response.status_code == 200
    assert response.context["suggestion"] == s
    assert [p.deputy for p in response.context["proposers"]] == [cast.deputy, cast.other_deputy]
    assert response.context["plan"].suggestion_reply_months == 3


def test_there_is_no_assignment_form_before_assignment(client, cast):
    s = at(State.ACCEPTED, cast)
    client.force_login(cast.staff)
    assert client.get(reverse("suggestions:print_assignment", args=[s.pk])).status_code == 404


def test_the_deputy_prints_the_latest_reply_letter(client, cast):
    s = at(State.REDO, cast)
    from suggestions import services as svc

    svc.answer_suggestion(
        by=cast.department_user, suggestion=s, text="第二次答复", result_class="A", answered_on=s.due_on
    )
    client.force_login(cast.deputy_user)
    response = client.get(reverse("suggestions:print_answer", args=[s.pk]))
    assert response.context["answer"].round == 2
    first = client.get(reverse("suggestions:print_answer", args=[s.pk]), {"round": "1"})
    assert first.context["answer"].round == 1


def test_there_is_no_reply_letter_before_an_answer(client, cast):
    s = at(State.ASSIGNED, cast)
    client.force_login(cast.staff)
    assert client.get(reverse("suggestions:print_answer", args=[s.pk])).status_code == 404


def test_an_outsider_cannot_print_either_form(client, cast):
    s = at(State.ANSWERED, cast)
    client.force_login(cast.outsider_staff)
    assert client.get(reverse("suggestions:print_assignment", args=[s.pk])).status_code == 404
    assert client.get(reverse("suggestions:print_answer", args=[s.pk])).status_code == 404


def test_another_deputy_cannot_print_the_reply_letter(client, cast):
    s = at(State.ANSWERED, cast)
    client.force_login(cast.other_deputy_user)
    assert client.get(reverse("suggestions:print_answer", args=[s.pk])).status_code == 404

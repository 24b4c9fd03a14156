"""Form cases of the vote on livelihood projects: an item's counts and closing the vote.

The cases share one counted vote per test, built on first use (the registry has no setup hook)."""

from __future__ import annotations

from types import SimpleNamespace

from supervision.forms.voting import CloseVoteForm, CountsForm
from supervision.models import ProjectVote, ProjectVoteItem
from tests.security.form_cases import FormCase
from tests.security.matrix_voting import counted


def _world(o: SimpleNamespace) -> SimpleNamespace:
    if not hasattr(o, "voting"):
        o.voting = SimpleNamespace(**counted(o))
    return o.voting


def _item(o: SimpleNamespace) -> ProjectVoteItem:
    return _world(o).item


def _vote(o: SimpleNamespace) -> ProjectVote:
    return _world(o).vote


FORMS = [
    FormCase(
        name="vote_counts",
        url="supervision:vote_item",
        kwargs=lambda o: {"pk": _item(o).pk},
        form=lambda o, data: CountsForm(data, instance=_item(o)),
        valid=lambda o: {"votes_for": 1, "votes_against": 1, "abstentions": 0},
        target=_item,
        shown_on=("supervision:vote_list",),
    ),
    FormCase(
        name="vote_close",
        url="supervision:vote_close",
        kwargs=lambda o: {"pk": _vote(o).pk},
        form=lambda o, data: CloseVoteForm(data, tied=[]),
        valid=lambda o: {},
        target=_vote,
        # Closing keeps the figures the results rest on, and who closed it when.
        writable=("state", "in_office", "present", "votes_to_pass", "tie_decision", "closed_by", "closed_at"),
    ),
]

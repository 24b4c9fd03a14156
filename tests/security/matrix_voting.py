"""Matrix rows for the vote on livelihood projects (supervision:vote_*): the cast's February session,
both cast deputies present, one place and two candidates (差额)."""

from __future__ import annotations

import datetime as dt

from congress.models import AnnualPlan
from supervision import services
from supervision.services import voting
from tests.security.matrix import FORBIDDEN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, pk, signed_in
from tests.sittings.factories import attend, session

NA = METHOD_NOT_ALLOWED
# Reading: whoever reads supervision pages (not village cadres); the outsider cannot see the town's vote.
VIEWERS = ("staff", "chairman", "deputy_user", "other_deputy_user", "department_user", "outsider_staff",
           "district_user", "superuser")  # fmt: skip
READ_LIST = signed_in(FORBIDDEN, **dict.fromkeys(VIEWERS, OK))
READ_OBJECT = signed_in(FORBIDDEN, **{**dict.fromkeys(VIEWERS, OK), "outsider_staff": NOT_FOUND})
READ_ONLY_POST = signed_in(FORBIDDEN, **dict.fromkeys(VIEWERS, NA))
# Managing: staff of the town and superusers.
MANAGE_GET = signed_in(FORBIDDEN, staff=OK, outsider_staff=NOT_FOUND, superuser=OK)
MANAGE_POST = signed_in(FORBIDDEN, staff=REDIRECT, outsider_staff=NOT_FOUND, superuser=REDIRECT)
POST_ONLY_GET = signed_in(FORBIDDEN, staff=NA, outsider_staff=NA, superuser=NA)


def candidates(cast):
    """The session, held with both deputies present, and two candidates for one place."""
    plan = AnnualPlan.objects.for_town_year(cast.town, 2026)
    plan.projects_to_adopt = 1
    plan.save()
    s = session(cast.town, cast.staff)
    attend(s, cast.staff, present=[cast.deputy, cast.other_deputy])
    projects = [
        services.create_project(
            by=cast.staff, town=cast.town, year=2026, name=name, content="修路",
            start=dt.date(2026, 3, 1), deadline=dt.date(2026, 9, 30),
        )
        for name in ("北房村路灯安装", "宰相庄村道路大修")
    ]  # fmt: skip
    return {"session": s, "first": projects[0], "second": projects[1]}


def counted(cast):
    """The vote opened and every item counted: the first passes, the second does not."""
    o = candidates(cast)
    vote = voting.open_vote(session=o["session"], by=cast.staff)
    first, second = vote.items.order_by("position")
    voting.record_counts(item=first, by=cast.staff, votes_for=2, votes_against=0, abstentions=0)
    voting.record_counts(item=second, by=cast.staff, votes_for=0, votes_against=2, abstentions=0)
    first.refresh_from_db()
    return o | {"vote": vote, "item": first}


ROWS = [
    Row(url="supervision:vote_list", setup=counted, get=READ_LIST, post=READ_ONLY_POST),
    Row(
        url="supervision:session_vote",
        setup=candidates,
        kwargs=pk("session"),
        target=lambda o: o.session,
        get=READ_OBJECT,
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:vote_open",
        setup=candidates,
        kwargs=pk("session"),
        target=lambda o: o.first,
        get=POST_ONLY_GET,
        post=MANAGE_POST,
    ),
    Row(
        url="supervision:vote_detail",
        setup=counted,
        kwargs=pk("vote"),
        target=lambda o: o.vote,
        get=READ_OBJECT,
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:vote_item",
        setup=counted,
        kwargs=pk("item"),
        target=lambda o: o.item,
        get=MANAGE_GET,
        post=MANAGE_POST,
        data=lambda o: {"votes_for": 1, "votes_against": 1, "abstentions": 0},
    ),
    Row(
        url="supervision:vote_close",
        setup=counted,
        kwargs=pk("vote"),
        target=lambda o: o.first,
        get=POST_ONLY_GET,
        post=MANAGE_POST,
    ),
    Row(
        url="supervision:vote_ballot",
        setup=counted,
        kwargs=pk("vote"),
        target=lambda o: o.vote,
        get=READ_OBJECT,
        post=READ_ONLY_POST,
    ),
    Row(
        url="supervision:vote_results",
        setup=counted,
        kwargs=pk("vote"),
        target=lambda o: o.vote,
        get=READ_OBJECT,
        post=READ_ONLY_POST,
    ),
]

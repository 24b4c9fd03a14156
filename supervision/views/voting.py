"""Pages of the vote on livelihood projects (票决): a session's candidates and opening the vote, entering
each item's counts, the results with the tie at the cut, closing, and the printed ballot and results.

Every lookup goes through congress.access: a vote of a session outside the user's scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from congress import access
from congress.form_errors import call_with_form, form_page
from congress.models import AnnualPlan
from sittings import services as session_svc
from sittings.models import Session
from supervision.forms.voting import CloseVoteForm, CountsForm
from supervision.models import ProjectVote, ProjectVoteItem
from supervision.services import voting


def _vote(request: HttpRequest, pk: int) -> ProjectVote:
    votes = ProjectVote.objects.select_related("session__town").prefetch_related(
        Prefetch("items", queryset=ProjectVoteItem.objects.select_related("project"))
    )
    return access.get_object_or_404(access.account(request), votes, pk=pk)


@access.require_action("supervision.view")
@require_safe
def vote_list(request: HttpRequest) -> HttpResponse:
    """The votes of the user's towns, newest first."""
    votes = access.scope(access.account(request), ProjectVote.objects.select_related("session__town")).order_by(
        "-session__starts_on", "pk"
    )
    return render(request, "supervision/voting/list.html", {"votes": votes})


@access.require_action("supervision.view")
@require_safe
def session_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's vote: its page if it exists; otherwise the candidates and, for staff, opening the vote."""
    session = access.get_object_or_404(access.account(request), Session.objects.select_related("town"), pk=pk)
    existing = ProjectVote.objects.filter(session=session).first()
    if existing is not None:
        return redirect(existing)
    return _session_page(request, session, error="")


def _session_page(request: HttpRequest, session: Session, *, error: str) -> HttpResponse:
    candidates = list(voting.candidates(session))
    plan = AnnualPlan.objects.for_town_year(session.town_id, session.year)
    return render(
        request,
        "supervision/voting/session.html",
        {
            "session": session,
            "candidates": candidates,
            "openable": access.openable(request.user, candidates),
            "quorum": session_svc.quorum(session),
            "places": plan.projects_to_adopt,
            "may_manage": access.can(access.account(request), "supervision.manage_votes"),
            "error": error,
        },
    )


@access.require_action("supervision.manage_votes")
@require_POST
def vote_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the session's candidates on the ballot; the page says why when the rules refuse."""
    session = access.get_object_or_404(access.account(request), Session.objects.select_related("town"), pk=pk)
    try:
        vote = voting.open_vote(session=session, by=access.account(request))
    except ValidationError as exc:
        return _session_page(request, session, error=" ".join(exc.messages))
    messages.success(request, _("The candidates are on the ballot: enter each item's counts."))
    return redirect(vote)


@access.require_action("supervision.view")
@require_safe
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote: each item's counts and result, the pass line, the cut and any tie; closing for staff."""
    vote = _vote(request, pk)
    return _detail(request, vote, None)


def _detail(request: HttpRequest, vote: ProjectVote, form: CloseVoteForm | None) -> HttpResponse:
    items = list(vote.items.all())
    result = voting.tally(vote, items)
    may_manage = access.can(access.account(request), "supervision.manage_votes") and vote.is_open
    if may_manage and form is None:
        form = CloseVoteForm(tied=list(result.ranking.tied))
    if form is not None:
        form.helper.form_action = reverse("supervision:vote_close", args=[vote.pk])
    ranking = result.ranking
    rows = [
        {
            "item": item,
            "passes": item.pk in ranking.passed,
            "adopted": item.pk in ranking.adopted,
            "tied": item.pk in ranking.tied,
        }
        for item in items
    ]
    return render(
        request,
        "supervision/voting/detail.html",
        {
            "vote": vote,
            "rows": rows,
            "tally": result,
            "may_manage": may_manage,
            "close_form": form,
            # A deputy or department sees every candidate, but opens only the projects in its scope.
            "openable": access.openable(request.user, [item.project for item in items]),
        },
    )


@access.require_action("supervision.manage_votes")
@require_http_methods(["GET", "HEAD", "POST"])
def vote_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one item's counts (赞成 / 反对 / 弃权)."""
    item = access.get_object_or_404(
        access.account(request), ProjectVoteItem.objects.select_related("vote__session__town", "project"), pk=pk
    )
    form = CountsForm(request.POST or None, instance=item)

    def save() -> ProjectVote:
        voting.record_counts(item=item, by=access.account(request), **form.cleaned_data)
        return item.vote

    context = {"item": item, "present": session_svc.quorum(item.vote.session).present}
    return form_page(request, form, "supervision/voting/item.html", context, save=save, done=_("The counts are saved."))


@access.require_action("supervision.manage_votes")
@require_POST
def vote_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the vote: adopted projects become 已票决通过, the rest 未通过."""
    vote = _vote(request, pk)
    if not vote.is_open:
        messages.info(request, _("The vote is already closed."))
        return redirect(vote)
    form = CloseVoteForm(request.POST, tied=list(voting.tally(vote).ranking.tied))

    def close() -> None:
        voting.close_vote(
            vote=vote,
            by=access.account(request),
            tie_winners=list(form.cleaned_data.get("tie_winners") or []),
            tie_decision=form.cleaned_data.get("tie_decision", ""),
        )

    if form.is_valid() and call_with_form(
        request, form, close, _("The vote is closed and the projects' status is set.")
    ):
        return redirect(vote)
    return _detail(request, vote, form)


@access.require_action("supervision.view")
@require_safe
def vote_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot sheet (选票): every candidate with its investment, rationale and completion time."""
    vote = _vote(request, pk)
    plan = AnnualPlan.objects.for_town_year(vote.session.town_id, vote.session.year)
    return render(request, "supervision/voting/ballot.html", {"vote": vote, "items": vote.items.all(), "plan": plan})


@access.require_action("supervision.view")
@require_safe
def vote_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results table, laid out for A4."""
    vote = _vote(request, pk)
    items = sorted(vote.items.all(), key=lambda i: (-(i.votes_for or 0), i.position))
    return render(
        request,
        "supervision/voting/results.html",
        {"vote": vote, "items": items, "tally": voting.tally(vote, items), "printed_on": timezone.localdate()},
    )

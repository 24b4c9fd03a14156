"""Pages of the review rounds (调度): the rounds, opening one, a round's reviews, recording a review and
the files kept with it.

Every lookup goes through congress.access: an object outside the user's scope is a 404.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access
from congress.form_errors import call_with_form, call_with_messages, form_page
from supervision import services
from supervision.forms.rounds import AttachmentForm, OpenRoundForm, ReviewForm
from supervision.models import ProjectReview, ReviewRound


@access.require_action("supervision.view")
@require_safe
def round_list(request: HttpRequest) -> HttpResponse:
    visible = access.scope(request.user, ProjectReview)
    rounds = (
        access.scope(request.user, ReviewRound)
        .select_related("town")
        .annotate(
            green=Count("reviews", filter=Q(reviews__light="green", reviews__in=visible)),
            yellow=Count("reviews", filter=Q(reviews__light="yellow", reviews__in=visible)),
            red=Count("reviews", filter=Q(reviews__light="red", reviews__in=visible)),
        )
    )
    form = OpenRoundForm(initial={"year": timezone.localdate().year, "month": timezone.localdate().month})
    can_open = access.can(request.user, "supervision.review")
    return render(request, "supervision/round_list.html", {"rounds": rounds, "form": form if can_open else None})


@access.require_action("supervision.review")
@require_POST
def round_open(request: HttpRequest) -> HttpResponse:
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        town, by = access.home_town(request.user), access.account(request)
        if done := call_with_messages(request, lambda: services.open_round(town=town, by=by, **form.cleaned_data)):
            return redirect(done.value)
    return redirect("supervision:round_list")


@access.require_action("supervision.view")
@require_safe
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_object_or_404(request.user, ReviewRound, pk=pk)
    reviews = access.scope(request.user, round_.reviews.select_related("project", "reviewed_by"))
    return render(
        request,
        "supervision/round_detail.html",
        {
            "round": round_,
            "reviews": reviews,
            "can_review": access.can(request.user, "supervision.review"),
            "can_draft": access.can(request.user, "supervision.draft_circular"),
        },
    )


@access.require_action("supervision.review")
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_object_or_404(request.user, ProjectReview.objects.select_related("round", "project"), pk=pk)
    form = ReviewForm(request.POST or None, instance=review)

    def save() -> ReviewRound:
        services.record_review(review=review, by=access.account(request), **form.cleaned_data)
        return review.round

    context = _review_context(review, attachment_form=AttachmentForm())
    return form_page(
        request, form, "supervision/review_form.html", context, save=save, done=_("The review was recorded.")
    )


def _review_context(review: ProjectReview, *, attachment_form: AttachmentForm) -> dict[str, object]:
    """The review with its files: beside the review form, the upload form (bound when a file was sent)."""
    return {"review": review, "attachment_form": attachment_form, "attachments": review.attachments.all()}


@access.require_action("supervision.review")
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_object_or_404(request.user, ProjectReview.objects.select_related("round", "project"), pk=pk)
    attachment_form = AttachmentForm(request.POST, request.FILES)
    if attachment_form.is_valid() and call_with_form(
        request,
        attachment_form,
        lambda: services.attach_to_review(
            review=review, by=access.account(request), upload=attachment_form.cleaned_data["file"]
        ),
        _("The file was attached."),
    ):
        return redirect("supervision:review_edit", pk=review.pk)
    context = {"form": ReviewForm(instance=review), **_review_context(review, attachment_form=attachment_form)}
    return render(request, "supervision/review_form.html", context)

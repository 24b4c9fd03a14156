"""Deputies' suggestions (代表建议) and their handling: proposers, the departments they are assigned to
(交办), answers with their rating, and the history of every step.

The tables kept the names they had when these models lived in congress (`db_table`), so moving them
here changed no row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress import access
from congress.access import AccessRule
from congress.concurrency import version_field
from congress.models import Attachment, Department, Deputy, Town, User
from congress.models.fields import SHORT_TEXT, TEXT, BoundedTextField, optional_link, year_in_range


class SuggestionCategory(models.TextChoices):
    """The categories the Huairou District congress files suggestions under."""

    AGRICULTURE = "agriculture", _("agriculture, rural areas and farmers")
    URBAN = "urban", _("urban and rural construction and management")
    EDUCATION = "education", _("education, science, culture, health and sport")
    CIVIL = "civil", _("civil affairs and justice")
    COMMERCE = "commerce", _("commerce, tourism and transport")
    ECONOMY = "economy", _("economic development")
    OTHER = "other", _("other")


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def submitted(self) -> SuggestionQuerySet:
        """Everything past the draft: what the office and the departments work with."""
        return self.exclude(state=Suggestion.State.DRAFT)

    def awaiting_answer(self) -> SuggestionQuerySet:
        return self.filter(state__in=Suggestion.AWAITING_ANSWER)

    def shown_to(self, user: Any) -> SuggestionQuerySet:
        """Without the drafts that are not the user's: a draft is its proposers' own until submitted.
        Deputies keep what their scope gives them (their own and joint drafts); staff the drafts they
        write for deputies without a login; everyone else no draft."""
        if access.is_deputy(user):
            return self
        if access.is_office_staff(user):
            return self.exclude(state=Suggestion.State.DRAFT, proposer__user__isnull=False)
        return self.exclude(state=Suggestion.State.DRAFT)

    def overdue(self, today: dt.date) -> SuggestionQuerySet:
        """Awaiting an answer past its due date."""
        return self.filter(self.overdue_condition(today))

    @staticmethod
    def overdue_condition(today: dt.date) -> Q:
        """`overdue` as a condition, for a count beside others in one aggregate."""
        return Q(state__in=Suggestion.AWAITING_ANSWER, due_on__lt=today)

    def supervised_open(self) -> SuggestionQuerySet:
        """Flagged for supervised handling (督办) and not yet closed."""
        return self.filter(supervised=True).exclude(state__in=Suggestion.FINISHED)

    def with_overdue_flag(self, today: dt.date) -> SuggestionQuerySet:
        return self.annotate(
            is_overdue=models.Case(
                models.When(Q(state__in=Suggestion.AWAITING_ANSWER, due_on__lt=today), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def similar_to(self, bigrams: list[str], *, least: int = 2) -> SuggestionQuerySet:
        """Suggestions sharing character bigrams with `bigrams`, most shared first.

        `&&` uses the GIN index to find candidates; the count of shared bigrams ranks them.
        """
        if not bigrams:
            return self.none()
        shared = models.expressions.RawSQL(
            "cardinality(ARRAY(SELECT unnest(congress_suggestion.title_bigrams) "
            "INTERSECT SELECT unnest(%s::varchar[])))",
            (list(bigrams),),
            output_field=models.IntegerField(),
        )
        return (
            self.filter(title_bigrams__overlap=list(bigrams))
            .annotate(shared_bigrams=shared)
            .filter(shared_bigrams__gte=min(least, len(bigrams)))
            .order_by("-shared_bigrams", "-submitted_at")
        )


class Suggestion(models.Model):
    """A deputy's suggestion (代表建议), from the draft to its closing (办结).

    Every change of state goes through a service in suggestions.services, which records a
    SuggestionEvent; nothing else writes `state`.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("handled as an opinion")
        ASSIGNED = "assigned", _("assigned")
        ANSWERED = "answered", _("answered")
        TRACKING = "tracking", _("follow-up handling")
        REDO = "redo", _("handled again")
        CLOSED = "closed", _("closed")

    class ResultClass(models.TextChoices):
        A = "A", _("A: solved or basically solved")
        B = "B", _("B: being solved or started")
        C = "C", _("C: planned, to be solved step by step")
        D = "D", _("D: kept for reference owing to constraints")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")
        UNRATED = "unrated", _("not rated")

    AWAITING_ANSWER = frozenset({State.ASSIGNED, State.REDO})
    FINISHED = frozenset({State.CLOSED, State.DECLINED})

    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("town"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, help_text=_("Given on submission"))
    proposer = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="led_suggestions", verbose_name=_("proposer")
    )
    proposers = models.ManyToManyField(
        Deputy,
        through="SuggestionProposer",
        related_name="suggestions",
        verbose_name=_("proposers"),
    )
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by"))
    entered_on_behalf = models.BooleanField(_("entered by staff on the deputy's behalf"), default=False)
    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=SuggestionCategory.choices)
    content = BoundedTextField(_("content"), blank=True, max_length=TEXT)
    reasons = BoundedTextField(_("reasons"), blank=True, max_length=TEXT)
    proposed_solution = BoundedTextField(_("proposed solution"), blank=True, max_length=TEXT)
    title_bigrams = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        editable=False,
        verbose_name=_("title bigrams"),
    )

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decline_reason = BoundedTextField(_("reason for handling as an opinion"), blank=True, max_length=SHORT_TEXT)
    lead_department = optional_link(Department, related_name="led_suggestions", verbose_name=_("lead department"))
    departments = models.ManyToManyField(
        Department,
        through="SuggestionDepartment",
        related_name="suggestions",
        verbose_name=_("handling departments"),
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    extension_reason = BoundedTextField(_("reason for extending the deadline"), blank=True, max_length=SHORT_TEXT)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    redo_count = models.PositiveSmallIntegerField(_("times handled again"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    supervised = models.BooleanField(_("supervised handling"), default=False)
    supervision_notes = BoundedTextField(_("supervision notes"), blank=True, max_length=SHORT_TEXT)
    attachments = GenericRelation(Attachment)
    version = version_field()
    # The web form's key: a second submit of the same new suggestion finds the first instead of a copy.
    form_key = models.UUIDField(_("form key"), null=True, blank=True, unique=True, editable=False)

    objects = SuggestionQuerySet.as_manager()

    access_rule = AccessRule(town="town", deputy="proposers", department="departments")

    history = HistoricalRecords(table_name="congress_historicalsuggestion")

    class Meta:
        db_table = "congress_suggestion"
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["town_id", "-year", "-number", "-pk"]
        indexes = [
            GinIndex(fields=["title_bigrams"], name="suggestion_title_bigrams_gin"),
            models.Index(fields=["town", "state", "due_on"], name="suggestion_town_state_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "year", "number"],
                condition=Q(number__isnull=False),
                name="suggestion_number_unique_in_town_year",
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "accepted",
                        "declined",
                        "assigned",
                        "answered",
                        "tracking",
                        "redo",
                        "closed",
                    ]
                ),
                name="suggestion_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(number__isnull=False, submitted_at__isnull=False),
                name="suggestion_submitted_has_number",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted", "accepted", "declined"])
                | Q(lead_department__isnull=False, assigned_on__isnull=False, due_on__isnull=False),
                name="suggestion_assigned_has_department_and_due",
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="suggestion_declined_has_reason",
            ),
            year_in_range("suggestion_year_sane"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("suggestions:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The number printed on the forms, e.g. 2026-007."""
        return f"{self.year}-{self.number:03d}" if self.number else "—"

    def is_overdue(self, today: dt.date) -> bool:
        return self.state in self.AWAITING_ANSWER and self.due_on is not None and self.due_on < today

    def allows(self, step: str) -> bool:
        """Whether `step` (a key of TRANSITIONS) may start from the suggestion's state."""
        return self.state in TRANSITIONS[step].sources

    @property
    def is_draft(self) -> bool:
        return self.allows("edit")


@dataclass(frozen=True)
class Transition:
    """A step of a suggestion's handling: the states it may start from and the states it leads to."""

    sources: frozenset[str]
    targets: frozenset[str]


def _step(sources: Iterable[str], targets: Iterable[str]) -> Transition:
    return Transition(frozenset(sources), frozenset(targets))


_State = Suggestion.State
IN_HANDLING = frozenset(set(_State.values) - {_State.DRAFT} - Suggestion.FINISHED)

# Every step a suggestion can take, written once: the services refuse a step from any other state,
# the detail page offers a step only from its sources, and tests walk the table.
TRANSITIONS: dict[str, Transition] = {
    "edit": _step({_State.DRAFT}, {_State.DRAFT}),  # the draft's text, proposers and files
    "submit": _step({_State.DRAFT}, {_State.SUBMITTED}),
    "accept": _step({_State.SUBMITTED}, {_State.ACCEPTED}),
    "decline": _step({_State.SUBMITTED}, {_State.DECLINED}),
    "assign": _step({_State.ACCEPTED}, {_State.ASSIGNED}),
    "extend": _step({_State.ASSIGNED}, {_State.ASSIGNED}),
    "answer": _step(Suggestion.AWAITING_ANSWER, {_State.ANSWERED}),
    # A rating (or its absence once the window closed) closes, follows up or sends the answer back.
    "rate": _step({_State.ANSWERED}, {_State.CLOSED, _State.TRACKING, _State.REDO}),
    "solve": _step({_State.TRACKING}, {_State.CLOSED}),
    "supervise": _step(IN_HANDLING, IN_HANDLING),  # the chairman's 督办 changes no state
}


def _party_constraints(party: str, role: str) -> list[models.BaseConstraint]:
    """A suggestion's proposers or departments (the `party` field): each one on it once, at most one the
    lead. `role` names the constraints (suggestion_proposer_once, suggestion_one_lead_proposer)."""
    return [
        models.UniqueConstraint(fields=["suggestion", party], name=f"suggestion_{role}_once"),
        models.UniqueConstraint(fields=["suggestion"], condition=Q(is_lead=True), name=f"suggestion_one_lead_{role}"),
    ]


class SuggestionProposer(models.Model):
    """A deputy who puts their name to a suggestion: the lead proposer or a joint one (联名)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="proposer_links")
    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("lead proposer"), default=False)

    access_rule = AccessRule(town="suggestion__town", deputy="suggestion__proposers")

    class Meta:
        db_table = "congress_suggestionproposer"
        verbose_name = _("proposer")
        verbose_name_plural = _("proposers")
        constraints = _party_constraints("deputy", "proposer")

    def __str__(self) -> str:
        return str(self.deputy)


class SuggestionDepartment(models.Model):
    """A department that handles a suggestion: the lead (主办) or a co-department (协办)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    is_lead = models.BooleanField(_("lead department"), default=False)

    access_rule = AccessRule(town="suggestion__town", department="department")

    class Meta:
        db_table = "congress_suggestiondepartment"
        verbose_name = _("handling department")
        verbose_name_plural = _("handling departments")
        constraints = _party_constraints("department", "department")

    def __str__(self) -> str:
        return str(self.department)


class SuggestionAnswer(models.Model):
    """One answer of the lead department (答复) and the deputy's rating of it.

    The first answer is due months after assignment; each 不满意 starts a new round due a month on.
    """

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("suggestion")
    )
    round = models.PositiveSmallIntegerField(_("round"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    text = BoundedTextField(_("answer"), max_length=TEXT)
    result_class = models.CharField(_("result class"), max_length=1, choices=Suggestion.ResultClass.choices)
    due_on = models.DateField(_("due on"))
    answered_on = models.DateField(_("answered on"))
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by"))
    rating = models.CharField(_("rating"), max_length=20, choices=Suggestion.Rating.choices, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    rated_by = optional_link(User, related_name="+", verbose_name=_("rated by"))
    rated_on_behalf = models.BooleanField(_("rating recorded by staff for the deputy"), default=False)

    access_rule = AccessRule(
        town="suggestion__town", deputy="suggestion__proposers", department="suggestion__departments"
    )

    history = HistoricalRecords(table_name="congress_historicalsuggestionanswer")

    class Meta:
        db_table = "congress_suggestionanswer"
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["suggestion_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="suggestion_answer_round_unique"),
            models.CheckConstraint(condition=Q(result_class__in=["A", "B", "C", "D"]), name="answer_class_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} ({self.round})"

    @property
    def on_time(self) -> bool:
        return self.answered_on <= self.due_on


class SuggestionEvent(models.Model):
    """One step in a suggestion's history: who did what, when, from which state to which."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="events", verbose_name=_("suggestion")
    )
    actor = optional_link(
        User,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the system recorded it (an unrated answer)"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20, choices=Suggestion.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Suggestion.State.choices)
    note = BoundedTextField(_("note"), blank=True, max_length=SHORT_TEXT)

    access_rule = AccessRule(
        town="suggestion__town", deputy="suggestion__proposers", department="suggestion__departments"
    )

    class Meta:
        db_table = "congress_suggestionevent"
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        ordering = ["suggestion_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion}: {self.action}"

"""The read side of the deputies' year: the record of duty (履职档案) of each deputy and year, and the
annual work checklist (年度工作清单) of a town. Computed from the records, never typed in.

This is one of the two congress modules that read the visits and supervision apps (ARCHITECTURE.md).

Points (the plan's `points_table`, each key times the count it names; a missing key counts 0):
session_attended (each session attended), session_absent_without_leave (each absence without leave,
negative), visit (each visit counted toward the quota), suggestion (each suggestion submitted as a
proposer), inspection (each inspection, check or research), training, group_activity, lecture
(publicity lectures), report_back (reporting back to voters), commendation, reception (each reception
day on duty), mediation (each dispute mediated), pairing (each pairing held in the year), key_project
(each key project followed, leading or taking part), law_inspection (each law-enforcement inspection
taken part in). The grade: good from `grade_good_from`, fair from `grade_fair_from`, else poor.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, IntegerField, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.models import AnnualPlan, Deputy, Town
from duty.models import Activity, ReceptionDuty
from sittings.models import AgendaItem, Attendance, Session
from suggestions.models import Suggestion
from supervision.models import (
    DepartmentEvaluation,
    KeyProject,
    KeyProjectAssignment,
    LawInspection,
    LawInspectionActivity,
    LivelihoodProject,
    LookBack,
    ReviewRound,
    StageInspection,
)
from visits.models import MediationCase, Pairing
from visits.quota import DeputyQuota, quota

INSPECTION_KINDS = (Activity.Kind.INSPECTION, Activity.Kind.CHECK, Activity.Kind.RESEARCH)

ACTIVITY_SECTIONS = (
    (_("Inspections and research"), INSPECTION_KINDS),
    (_("Study and training"), (Activity.Kind.TRAINING,)),
    (_("Deputy-group activities"), (Activity.Kind.GROUP,)),
    (_("Publicity and lectures"), (Activity.Kind.LECTURE,)),
    (_("Reporting back to voters"), (Activity.Kind.REPORT_BACK,)),
    (_("Commendations"), (Activity.Kind.COMMENDATION,)),
)

GRADE_LABELS = {"good": _("good"), "fair": _("fair"), "poor": _("poor")}


@dataclass
class DutyRecord:
    """One deputy's year: the counts of each section, their points, and the rows behind them."""

    deputy: Deputy
    year: int
    plan: AnnualPlan
    quota: DeputyQuota
    counts: dict[str, int]
    points: dict[str, int]
    sessions: list[Attendance] = field(default_factory=list)
    activities: dict[str, list[Activity]] = field(default_factory=dict)
    suggestions: list[Suggestion] = field(default_factory=list)
    pairings: list[Pairing] = field(default_factory=list)
    mediations: list[MediationCase] = field(default_factory=list)
    projects: list[LivelihoodProject] = field(default_factory=list)
    key_assignments: list[KeyProjectAssignment] = field(default_factory=list)
    law_inspections: list[LawInspection] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.points.values())

    @property
    def grade(self) -> str:
        if self.total >= self.plan.grade_good_from:
            return "good"
        if self.total >= self.plan.grade_fair_from:
            return "fair"
        return "poor"

    @property
    def grade_label(self) -> Promise:
        return GRADE_LABELS[self.grade]

    @property
    def activity_sections(self) -> list[tuple[Promise, list[Activity]]]:
        """The sections of the paper file that list activities, in its order."""
        return [
            (label, [a for kind in kinds for a in self.activities.get(kind, [])]) for label, kinds in ACTIVITY_SECTIONS
        ]

    @property
    def point_lines(self) -> list[tuple[Promise, int, int, int]]:
        """(label, count, points each, points) for each line of the points table."""
        return [
            (label, self.counts.get(key, 0), self.plan.points_for(key), self.points[key])
            for key, label in POINT_LABELS.items()
        ]


# The lines of the points table, in the order of the paper file, with what each counts.
POINT_LABELS = {
    "session_attended": _("Sessions attended"),
    "session_absent_without_leave": _("Sessions missed without leave"),
    "visit": _("Visits counted toward the quota"),
    "suggestion": _("Suggestions submitted"),
    "inspection": _("Inspections and research"),
    "training": _("Study and training"),
    "group_activity": _("Deputy-group activities"),
    "lecture": _("Publicity and lectures"),
    "report_back": _("Reporting back to voters"),
    "commendation": _("Commendations"),
    "reception": _("Reception days on duty"),
    "mediation": _("Disputes mediated"),
    "pairing": _("Pairings held"),
    "key_project": _("Key projects followed"),
    "law_inspection": _("Law-enforcement inspections taken part in"),
}

POINT_KEYS = tuple(POINT_LABELS)


def _per_deputy(qs: Any, key: str = "deputy_id") -> dict[int, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk", distinct=True)).order_by()}


def duty_records(deputies: Sequence[Deputy], year: int, *, details: bool | None = None) -> list[DutyRecord]:
    """The records of duty of `deputies` for `year`, in a fixed number of queries whatever their number.
    With `details` (the default for one deputy) each record carries the rows behind its counts."""
    deputies = list(deputies)
    if not deputies:
        return []
    details = len(deputies) == 1 if details is None else details
    ids = [d.pk for d in deputies]
    town_ids = {d.town_id for d in deputies}
    saved = {p.town_id: p for p in AnnualPlan.objects.filter(town_id__in=town_ids, year=year)}
    plans = {t: saved.get(t) or AnnualPlan(town_id=t, year=year) for t in town_ids}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    attendance = Attendance.objects.filter(deputy_id__in=ids, session__year=year)
    present = _per_deputy(attendance.filter(status=Attendance.Status.PRESENT))
    absent = _per_deputy(attendance.filter(status=Attendance.Status.ABSENT))
    by_kind: dict[tuple[int, str], int] = {}
    for row in (
        Activity.participants.through.objects.filter(deputy_id__in=ids, activity__held_on__year=year)
        .values("deputy_id", "activity__kind")
        .annotate(n=Count("activity_id", distinct=True))
        .order_by()
    ):
        by_kind[(row["deputy_id"], row["activity__kind"])] = row["n"]
    suggestions_qs = Suggestion.objects.submitted().filter(year=year, proposers__in=ids)
    suggestions = {
        row["proposers"]: row["n"]
        for row in suggestions_qs.values("proposers").annotate(n=Count("pk", distinct=True)).order_by()
    }
    receptions = _per_deputy(
        ReceptionDuty.deputies.through.objects.filter(deputy_id__in=ids, receptionduty__on_date__year=year),
    )
    mediations = {
        row["deputies"]: row["n"]
        for row in MediationCase.objects.in_year(year)
        .filter(deputies__in=ids)
        .values("deputies")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    pairings_qs = Pairing.objects.filter(deputy_id__in=ids, started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    pairings = _per_deputy(pairings_qs)
    key_projects = _per_deputy(KeyProjectAssignment.objects.filter(deputy_id__in=ids, project__year=year))
    law_inspections = {
        row["deputy_id"]: row["n"]
        for row in LawInspectionActivity.deputies.through.objects.filter(
            deputy_id__in=ids, lawinspectionactivity__inspection__year=year
        )
        .values("deputy_id")
        .annotate(n=Count("lawinspectionactivity__inspection", distinct=True))
        .order_by()
    }
    look_backs = _per_deputy(
        LookBack.deputies.through.objects.filter(deputy_id__in=ids, lookback__checked_on__year=year)
    )
    stage_inspections = _per_deputy(
        StageInspection.deputies.through.objects.filter(deputy_id__in=ids, stageinspection__inspected_on__year=year)
    )
    quotas = quota(deputies, year)

    records = []
    for d in deputies:
        plan = plans[d.town_id]
        kinds = {k: by_kind.get((d.pk, k), 0) for k in Activity.Kind.values}
        counts = {
            "session_attended": present.get(d.pk, 0),
            "session_absent_without_leave": absent.get(d.pk, 0),
            "visit": quotas[d.pk].visits,
            "suggestion": suggestions.get(d.pk, 0),
            "inspection": sum(kinds[k] for k in INSPECTION_KINDS),
            "training": kinds[Activity.Kind.TRAINING],
            "group_activity": kinds[Activity.Kind.GROUP],
            "lecture": kinds[Activity.Kind.LECTURE],
            "report_back": kinds[Activity.Kind.REPORT_BACK],
            "commendation": kinds[Activity.Kind.COMMENDATION],
            "reception": receptions.get(d.pk, 0),
            "mediation": mediations.get(d.pk, 0),
            "pairing": pairings.get(d.pk, 0),
            "key_project": key_projects.get(d.pk, 0),
            "law_inspection": law_inspections.get(d.pk, 0),
            # Shown in the supervisor's section, without points of their own: the key project's points
            # count the role, and a look-back (回头看) follows a key project, evaluation or law inspection.
            "stage_inspection": stage_inspections.get(d.pk, 0),
            "look_back": look_backs.get(d.pk, 0),
        }
        points = {key: counts[key] * plan.points_for(key) for key in POINT_KEYS}
        records.append(DutyRecord(deputy=d, year=year, plan=plan, quota=quotas[d.pk], counts=counts, points=points))

    if details:
        for record in records:
            _fill_details(record)
    return records


def _fill_details(record: DutyRecord) -> None:
    d, year = record.deputy, record.year
    record.sessions = list(
        Attendance.objects.filter(deputy=d, session__year=year).select_related("session").order_by("session__starts_on")
    )
    grouped: dict[str, list[Activity]] = defaultdict(list)
    for activity in Activity.objects.filter(participants=d).in_year(year).select_related("venue").order_by("held_on"):
        grouped[activity.kind].append(activity)
    record.activities = dict(grouped)
    record.suggestions = list(
        Suggestion.objects.submitted().filter(year=year, proposers=d).distinct().order_by("number", "pk")
    )
    record.pairings = list(
        Pairing.objects.filter(deputy=d, started_on__lte=dt.date(year, 12, 31))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=dt.date(year, 1, 1)))
        .select_related("household")
    )
    record.mediations = list(MediationCase.objects.in_year(year).filter(deputies=d).select_related("village"))
    record.projects = list(LivelihoodProject.objects.filter(year=year, supervisors=d).order_by("position", "pk"))
    record.key_assignments = list(
        KeyProjectAssignment.objects.filter(deputy=d, project__year=year)
        .select_related("project")
        .order_by("tier", "pk")
    )
    record.law_inspections = list(
        LawInspection.objects.filter(year=year, activities__deputies=d).distinct().order_by("pk")
    )


# --- The annual work checklist (年度工作清单) ----------------------------------------------------------

DONE, DUE, OVERDUE = "done", "due", "overdue"
STATUS_LABELS = {DONE: _("done"), DUE: _("due"), OVERDUE: _("overdue")}


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    status: str
    detail: str = ""
    url: str = ""

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class Checklist:
    town: Town
    year: int
    plan: AnnualPlan
    lines: list[Line]
    today: dt.date
    also_counted: dict[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> bool:
        """A past year's list is closed off: what was not done by the year's end stays overdue."""
        return self.today > dt.date(self.year, 12, 31)

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _status(done: bool, deadline: dt.date, today: dt.date) -> str:
    if done:
        return DONE
    return OVERDUE if today > deadline else DUE


FEBRUARY_REPORTS = (
    AgendaItem.Kind.GOVERNMENT_REPORT,
    AgendaItem.Kind.CONGRESS_REPORT,
    AgendaItem.Kind.BUDGET_REPORT,
    AgendaItem.Kind.LIVELIHOOD_PLAN,
)


def _deliberated(items: list[AgendaItem], kind: str) -> list[AgendaItem]:
    return [i for i in items if i.kind == kind and (i.deliberation_opinions.strip() or i.resolution.strip())]


class _CountOf(Subquery):
    """The number of rows of a queryset, as a value inside another statement."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def _read_together(
    town: Town, counts: dict[str, QuerySet[Any]], lists: dict[str, QuerySet[Any]] | None = None
) -> dict[str, Any]:
    """Several counts of the town's records, and lists of one column each (`lists`, querysets of one
    ordered `values()` column), in one statement."""
    lists = lists or {}
    row = (
        Town.objects.filter(pk=town.pk)
        .values_list(
            *(_CountOf(qs.order_by().values("pk")) for qs in counts.values()),
            *(ArraySubquery(qs) for qs in lists.values()),
        )
        .get()
    )
    return dict(zip([*counts, *lists], row, strict=True))


def _keywork_lines(town: Town, year: int, plan: AnnualPlan, today: dt.date, counts: dict[str, int]) -> list[Line]:
    """The year's department evaluations (评议), law-enforcement inspections (执法检查) and key projects
    (重点工作) against the plan, due by the year's end. An evaluation counts once its evaluation meeting
    is held, a law inspection once its findings are reported, a key project once it is chosen."""
    year_end = dt.date(year, 12, 31)
    query = f"?year={year}&town={town.slug}"
    evaluations, laws, key_projects = counts["evaluations"], counts["laws"], counts["key_projects"]
    wanted = (
        ("evaluations", _("Department evaluations"), evaluations, plan.evaluations_per_year, "", "evaluation_list"),
        (
            "law_inspections",
            _("Law-enforcement inspections"),
            laws,
            plan.law_inspections_min,
            f"–{plan.law_inspections_max}",
            "law_list",
        ),
        (
            "key_projects",
            _("Key projects under supervision"),
            key_projects,
            plan.key_projects_min,
            f"–{plan.key_projects_max}",
            "keyproject_list",
        ),
    )
    return [
        Line(
            key,
            str(label),
            _status(n >= least, year_end, today),
            f"{n} / {least}{most}",
            reverse(f"supervision:{url}") + query,
        )
        for key, label, n, least, most, url in wanted
    ]


def checklist(
    *,
    town: Town,
    year: int,
    today: dt.date | None = None,
    plan: AnnualPlan | None = None,
    quotas: dict[int, DeputyQuota] | None = None,
    also_count: dict[str, QuerySet[Any]] | None = None,
) -> Checklist:
    """Every line of the town's year from the plan and the records: done, due or overdue, each with
    the page that justifies it. `plan` (the town's plan of the year) and `quotas` (the quota of each
    deputy of the town serving in the year): when the caller has read them already (the dashboard);
    `also_count`: the caller's own counts, read in the checklist's statement (Checklist.also_counted)."""
    today = today or timezone.localdate()
    if plan is None:
        plan = AnnualPlan.objects.for_town_year(town, year)
    this_years_rounds = ReviewRound.objects.filter(town=town, year=year).order_by("month")
    counts = _read_together(
        town,
        {
            "adopted": LivelihoodProject.objects.of_town_year(town, year).adopted(),
            "evaluations": DepartmentEvaluation.objects.filter(town=town, year=year, meeting_on__isnull=False),
            "laws": LawInspection.objects.filter(town=town, year=year, reported_on__isnull=False),
            "key_projects": KeyProject.objects.filter(town=town, year=year),
            **(also_count or {}),
        },
        {
            "round_months": this_years_rounds.values("month"),
            "round_ids": this_years_rounds.values("pk"),
        },
    )
    sessions = {s.kind: s for s in Session.objects.filter(town=town, year=year).exclude(kind=Session.Kind.EXTRA)}
    items_by_session: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in AgendaItem.objects.filter(session__in=list(sessions.values())):
        items_by_session[item.session_id].append(item)
    months = sorted(plan.session_months or [2, 7])
    feb_month, jul_month = months[0], months[-1]
    lines: list[Line] = []

    def session_lines(kind: str, month: int, label: Promise, reports: list[tuple[str, int, Any]]) -> None:
        session = sessions.get(kind)
        deadline = _month_end(year, month)
        held = session is not None and session.ends_on <= today
        url = session.get_absolute_url() if session else reverse("sessions:list")
        lines.append(Line(f"{kind}_session", str(label), _status(held, deadline, today), str(session or ""), url))
        items = items_by_session[session.pk] if session else []
        for report_kind, wanted, report_label in reports:
            n = len(_deliberated(items, report_kind))
            status = _status(held and n >= wanted, deadline, today)
            lines.append(Line(f"{kind}_{report_kind}", str(report_label), status, f"{n} / {wanted}", url))

    session_lines(
        Session.Kind.FEBRUARY,
        feb_month,
        _("February session held"),
        [(kind, 1, AgendaItem.Kind(kind).label) for kind in FEBRUARY_REPORTS],
    )
    adopted = counts["adopted"]
    lines.append(
        Line(
            "project_vote",
            str(_("Livelihood projects voted on")),
            _status(adopted > 0, _month_end(year, feb_month), today),
            f"{adopted} / {plan.projects_to_adopt}",
            f"{reverse('supervision:project_list')}?year={year}",
        )
    )
    session_lines(
        Session.Kind.JULY,
        jul_month,
        _("July session held"),
        [
            (AgendaItem.Kind.HALF_YEAR_REPORT, 1, AgendaItem.Kind.HALF_YEAR_REPORT.label),
            (AgendaItem.Kind.DEPUTY_MAYOR_REPORT, plan.deputy_mayor_reports, AgendaItem.Kind.DEPUTY_MAYOR_REPORT.label),
        ],
    )
    rounds = dict(zip(counts["round_months"], counts["round_ids"], strict=True))
    for month in sorted(plan.review_months or []):
        review = rounds.get(month)
        lines.append(
            Line(
                f"review_{month}",
                str(_("Review round of %(month)s") % {"month": f"{year}-{month:02d}"}),
                _status(review is not None, _month_end(year, month), today),
                "",
                reverse("supervision:round_detail", args=[review]) if review else reverse("supervision:round_list"),
            )
        )
    lines += _keywork_lines(town, year, plan, today, counts)
    if quotas is None:
        quotas = quota(Deputy.objects.filter(town=town).serving_in_year(year), year, today=today)
    met = sum(1 for q in quotas.values() if q.households >= q.household_target and q.months_missed == 0)
    lines.append(
        Line(
            "visit_quota",
            str(_("Visit quota met")),
            _status(bool(quotas) and met == len(quotas), dt.date(year, 12, 31), today),
            f"{met} / {len(quotas)}",
            f"{reverse('visits:quota_overview')}?year={year}",
        )
    )
    also_counted = {key: counts[key] for key in also_count or {}}
    return Checklist(town=town, year=year, plan=plan, lines=lines, today=today, also_counted=also_counted)

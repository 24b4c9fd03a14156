"""Supervision of livelihood projects (民生实事项目) and whole-process supervision of key works (重点工作).

One module per aggregate; every public name is re-exported here, so `from supervision.models import X`
works as before (the migrations name the upload paths through this package too). A module imports the
model classes it points at from the modules it builds on, never the other way: projects and circulars
build on rounds; problems and voting on projects; rectifications on keyprojects, evaluations and laws.

Every row belongs to one town; the services in supervision.services are the only writers with rules.
"""

from supervision.models.circulars import Circular, CircularQuerySet, circular_pdf_path
from supervision.models.evaluations import DepartmentEvaluation, satisfaction_result
from supervision.models.keyprojects import (
    InspectionSuggestion,
    KeyProject,
    KeyProjectAssignment,
    Stage,
    StageInspection,
    through_key_project,
)
from supervision.models.laws import LawInspection, LawInspectionActivity
from supervision.models.problems import MeetingDecision, ProblemMeeting, ProjectProblem, ProjectProblemQuerySet
from supervision.models.projects import (
    PROJECT_DEPARTMENTS,
    InspectionNote,
    LivelihoodProject,
    LivelihoodProjectQuerySet,
    MonthlyTarget,
    MonthlyTargetQuerySet,
    ProjectReview,
    ProjectReviewQuerySet,
    ProjectStatusChange,
    attachment_path,
    note_photo_path,
    percent_between_0_and_100,
    through_project,
)
from supervision.models.rectifications import LookBack, Rectification, RectificationQuerySet
from supervision.models.rounds import Light, LightReason, ReviewRound
from supervision.models.voting import ProjectVote, ProjectVoteItem

__all__ = [
    "PROJECT_DEPARTMENTS",
    "Circular",
    "CircularQuerySet",
    "DepartmentEvaluation",
    "InspectionNote",
    "InspectionSuggestion",
    "KeyProject",
    "KeyProjectAssignment",
    "LawInspection",
    "LawInspectionActivity",
    "Light",
    "LightReason",
    "LivelihoodProject",
    "LivelihoodProjectQuerySet",
    "LookBack",
    "MeetingDecision",
    "MonthlyTarget",
    "MonthlyTargetQuerySet",
    "ProblemMeeting",
    "ProjectProblem",
    "ProjectProblemQuerySet",
    "ProjectReview",
    "ProjectReviewQuerySet",
    "ProjectStatusChange",
    "ProjectVote",
    "ProjectVoteItem",
    "Rectification",
    "RectificationQuerySet",
    "ReviewRound",
    "Stage",
    "StageInspection",
    "attachment_path",
    "circular_pdf_path",
    "note_photo_path",
    "percent_between_0_and_100",
    "satisfaction_result",
    "through_key_project",
    "through_project",
]

"""Everything that writes supervision records with rules: one function per thing a user does.

Views, the demo seeder and tasks call these; each takes keyword arguments, validates, writes in one
transaction and raises ValidationError with a clear message when the step is not allowed.

The livelihood-project writers are re-exported here, so `services.open_round(...)` works as before;
the vote (票决) and whole-process supervision have their own modules: services.voting, services.keyworks.
"""

from supervision.services.attachments import add_inspection_note, attach_to_review
from supervision.services.circulars import (
    circular_content,
    circular_recipients,
    correct_circular,
    draft_circular,
    publish_circular,
    update_circular_draft,
)
from supervision.services.problems import (
    DECISION_FIELDS,
    MEETING_FIELDS,
    complete_decision,
    record_meeting,
    record_problem,
    update_meeting,
    update_problem,
)
from supervision.services.projects import (
    PROJECT_FIELDS,
    TRANSITIONS,
    adopt_project,
    complete_project,
    create_project,
    reject_project,
    start_project,
    terminate_project,
    update_project,
)
from supervision.services.rounds import open_round, planned_percent_in, previous_light, record_review
from supervision.services.targets import (
    current_targets,
    move_deadline,
    plan_deadline_move,
    proposed_targets,
    report_progress,
    reviewed_through,
    save_targets,
)

__all__ = [
    "DECISION_FIELDS",
    "MEETING_FIELDS",
    "PROJECT_FIELDS",
    "TRANSITIONS",
    "add_inspection_note",
    "adopt_project",
    "attach_to_review",
    "circular_content",
    "circular_recipients",
    "complete_decision",
    "complete_project",
    "correct_circular",
    "create_project",
    "current_targets",
    "draft_circular",
    "move_deadline",
    "open_round",
    "plan_deadline_move",
    "planned_percent_in",
    "previous_light",
    "proposed_targets",
    "publish_circular",
    "record_meeting",
    "record_problem",
    "record_review",
    "reject_project",
    "report_progress",
    "reviewed_through",
    "save_targets",
    "start_project",
    "terminate_project",
    "update_circular_draft",
    "update_meeting",
    "update_problem",
    "update_project",
]

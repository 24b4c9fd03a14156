"""Form cases of livelihood-project supervision (supervision:); see tests/security/form_cases.py."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from supervision import services
from supervision.forms.problems import DecisionDoneForm, DecisionForm, MeetingForm, ProblemForm
from supervision.forms.projects import (
    DeadlineForm,
    InspectionNoteForm,
    ProgressForm,
    ProjectForm,
    TargetForm,
    TargetsVersionForm,
    TransitionForm,
)
from supervision.forms.rounds import AttachmentForm, OpenRoundForm, ReviewForm
from supervision.models import (
    InspectionNote,
    LivelihoodProject,
    MeetingDecision,
    ProblemMeeting,
    ProjectProblem,
    ReviewRound,
)
from tests.security.form_cases import FormCase, bind_files


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


def world(o: SimpleNamespace) -> dict[str, Any]:
    """A project under way with monthly targets, supervised by the cast's deputy, and a June review round."""
    project = services.create_project(
        by=o.staff, town=o.town, year=2026, name="北房村乡村公路大修", content="大修村道3公里",
        start=dt.date(2026, 3, 1), deadline=dt.date(2026, 8, 31), lead_department=o.department,
        supervisors=[o.deputy],
    )  # fmt: skip
    services.adopt_project(project=project, by=o.staff)
    services.start_project(project=project, by=o.staff)
    services.save_targets(project=project, by=o.staff, rows=services.proposed_targets(project))
    june = services.open_round(town=o.town, year=2026, month=6, by=o.staff)
    problem = services.record_problem(project=project, by=o.staff, description="征地补偿未谈妥")
    meeting = services.record_meeting(
        problem=problem, by=o.staff, kind="onsite", held_on=dt.date(2026, 5, 8), participants="副镇长、城建办",
        decisions=[{"text": "一周内拿出方案", "owner_name": "城建办主任", "due_on": dt.date(2026, 5, 15)}],
    )  # fmt: skip
    return {
        "problem": problem,
        "meeting": meeting,
        "decision": meeting.decisions.get(),
        "project": LivelihoodProject.objects.get(pk=project.pk),
        "target": project.targets.order_by("month").first(),
        "round": june,
        "review": june.reviews.get(),
    }


def review_page(o: SimpleNamespace) -> str:
    return reverse("supervision:review_edit", kwargs={"pk": o.review.pk})


def project_page(o: SimpleNamespace) -> str:
    return reverse("supervision:project_detail", kwargs={"pk": o.project.pk})


def targets_data(o: SimpleNamespace) -> dict[str, Any]:
    rows = list(o.project.targets.order_by("month"))
    data: dict[str, Any] = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "version": o.project.targets_version,
    }
    for i, row in enumerate(rows):
        data |= {
            f"form-{i}-month": row.month.isoformat(),
            f"form-{i}-target": f"第{i + 1}阶段",
            f"form-{i}-planned_percent": round(100 * (i + 1) / len(rows)),
        }
    return data


def problem_page(o: SimpleNamespace) -> str:
    return reverse("supervision:problem_detail", kwargs={"pk": o.problem.pk})


def meeting_data(o: SimpleNamespace, decision_id: Any = "") -> dict[str, Any]:
    return {
        "kind": "consultation", "held_on": "2026-06-02", "place": "镇政府", "participants": "各部门负责人",
        "notes": "会商纪要", "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "1" if decision_id else "0",
        "decisions-0-id": decision_id, "decisions-0-text": "财政所提前拨付资金", "decisions-0-owner_name": "财政所所长",
        "decisions-0-owner_department": o.department.pk, "decisions-0-due_on": "2026-06-20",
    }  # fmt: skip


FORMS = [
    FormCase(
        name="project_create",
        url="supervision:project_create",
        form=lambda o, data: ProjectForm(data, town=o.town),
        valid=lambda o: {
            "year": 2026,
            "position": 5,
            "name": "敬老院改造",
            "content": "改造住房20间",
            "investment": "120.5",
            "lead_department": o.department.pk,
            "supervisors": [o.deputy.pk],
            "start": "2026-04-01",
            "deadline": "2026-10-31",
            "deadline_text": "10月底前",
        },
        created=lambda o: LivelihoodProject.objects.filter(town=o.town, name="敬老院改造"),
        shown_on=("supervision:project_list", "supervision:division_table"),
        writable=("created_at", "updated_at"),
    ),
    FormCase(
        name="project_edit",
        url="supervision:project_edit",
        setup=world,
        kwargs=lambda o: {"pk": o.project.pk},
        form=lambda o, data: ProjectForm(data, instance=o.project, town=o.town),
        valid=lambda o: {
            "year": 2026,
            "position": o.project.position,
            "name": "改名的项目",
            "content": "大修村道4公里",
            "investment": "99",
            "lead_department": o.department.pk,
            "supervisors": [o.deputy.pk],
            "version": o.project.version,
        },
        target=lambda o: o.project,
        shown_on=(project_page, "supervision:division_table"),
        writable=("updated_at", "version"),
    ),
    FormCase(
        name="project_deadline",
        url="supervision:project_deadline",
        setup=world,
        kwargs=lambda o: {"pk": o.project.pk},
        form=lambda o, data: DeadlineForm(data),
        valid=lambda o: {"deadline": "2026-10-31", "deadline_text": "10月底前", "confirm": "1"},
        target=lambda o: o.project,
        shown_on=(project_page,),
        writable=("updated_at", "targets_version"),  # respreading saves the targets
    ),
    FormCase(
        name="project_transition",
        url="supervision:project_transition",
        setup=world,
        kwargs=lambda o: {"pk": o.project.pk},
        form=lambda o, data: TransitionForm(data),
        valid=lambda o: {"to": "terminated", "reason": "资金未落实，经主任会议研究终止"},
        target=lambda o: o.project,
        shown_on=(project_page,),
        writable=("status", "termination_reason", "updated_at"),
        form_in=lambda context: None,  # a button of the project page: errors come back as messages there
    ),
    FormCase(
        name="project_targets",
        url="supervision:project_targets",
        setup=world,
        kwargs=lambda o: {"pk": o.project.pk},
        form=lambda o, data: TargetForm(data, prefix="form-0"),
        valid=targets_data,
        target=lambda o: o.project,
        shown_on=(project_page,),
        writable=("updated_at", "targets_version"),
        page_fields=("version",),  # the version of the targets, posted beside the formset
    ),
    FormCase(
        name="project_targets_version",
        url="supervision:project_targets",
        setup=world,
        kwargs=lambda o: {"pk": o.project.pk},
        form=lambda o, data: TargetsVersionForm(
            data, version=LivelihoodProject.objects.get(pk=o.project.pk).targets_version
        ),
        valid=targets_data,
        target=lambda o: o.project,
        shown_on=(project_page,),
        writable=("updated_at", "targets_version"),
        page_fields=tuple(TargetForm.base_fields),  # the formset's rows around it
        form_in=lambda context: context.get("version_form"),
    ),
    FormCase(
        name="target_progress",
        url="supervision:target_progress",
        persona="department_user",
        setup=world,
        kwargs=lambda o: {"pk": o.target.pk},
        form=lambda o, data: ProgressForm(data, instance=o.target),
        valid=lambda o: {
            "reported_percent": 20,
            "progress_notes": "路基完成",
            "completed_on": "",
            "version": o.target.version,
        },
        target=lambda o: o.target,
        shown_on=(project_page,),
        writable=("reported_by", "reported_at", "version"),
    ),
    FormCase(
        name="round_open",
        url="supervision:round_open",
        setup=world,
        form=lambda o, data: OpenRoundForm(data),
        valid=lambda o: {"year": 2026, "month": 8},
        created=lambda o: ReviewRound.objects.filter(town=o.town, year=2026, month=8),
        shown_on=("supervision:round_list",),
        writable=("opened_at",),
    ),
    FormCase(
        name="review_edit",
        url="supervision:review_edit",
        setup=world,
        kwargs=lambda o: {"pk": o.review.pk},
        form=lambda o, data: ReviewForm(data, instance=o.review),
        valid=lambda o: {
            "actual_percent": 45,
            "quality": "良好",
            "problems": "雨季影响",
            "measures": "加派人手",
            "next_steps": "7月完成路面",
            "version": o.review.version,
        },
        target=lambda o: o.review,
        shown_on=(lambda o: reverse("supervision:round_detail", kwargs={"pk": o.round.pk}),),
        # The light follows from the figures; the service records who reviewed and when.
        writable=("light", "light_reason", "reviewed_by", "reviewed_at", "version"),
    ),
    FormCase(
        name="inspection_note",
        url="supervision:note_create",
        persona="deputy_user",
        setup=world,
        kwargs=lambda o: {"pk": o.project.pk},
        form=lambda o, data: InspectionNoteForm(*bind_files(data)),
        valid=lambda o: {
            "inspected_on": "2026-05-10",
            "notes": "现场查看路基施工",
            "photo": SimpleUploadedFile("现场.png", png(), content_type="image/png"),
        },
        created=lambda o: InspectionNote.objects.filter(project=o.project, notes="现场查看路基施工"),
        shown_on=(project_page,),
        writable=("created_at", "photo"),  # the stored file gets a new name each time
    ),
    FormCase(
        name="problem_create",
        url="supervision:problem_create",
        setup=world,
        kwargs=lambda o: {"pk": o.project.pk},
        form=lambda o, data: ProblemForm(data, project=o.project),
        valid=lambda o: {"description": "施工围挡影响村民通行", "review": ""},
        created=lambda o: ProjectProblem.objects.filter(description="施工围挡影响村民通行"),
        shown_on=(project_page,),
        writable=("created_at",),
    ),
    FormCase(
        name="problem_edit",
        url="supervision:problem_edit",
        setup=world,
        kwargs=lambda o: {"pk": o.problem.pk},
        form=lambda o, data: ProblemForm(data, instance=o.problem, project=o.project),
        valid=lambda o: {"description": "征地补偿已谈妥一半", "review": ""},
        target=lambda o: o.problem,
        shown_on=(problem_page, project_page),
    ),
    FormCase(
        name="meeting_create",
        url="supervision:meeting_create",
        setup=world,
        kwargs=lambda o: {"pk": o.problem.pk},
        form=lambda o, data: MeetingForm(data),
        valid=meeting_data,
        created=lambda o: ProblemMeeting.objects.filter(notes="会商纪要"),
        shown_on=(problem_page,),
        writable=("created_at",),
    ),
    FormCase(
        name="meeting_decision",
        url="supervision:meeting_create",
        setup=world,
        kwargs=lambda o: {"pk": o.problem.pk},
        form=lambda o, data: DecisionForm(data, prefix="decisions-0", town_id=o.town.pk),
        valid=meeting_data,
        created=lambda o: MeetingDecision.objects.filter(meeting__notes="会商纪要"),
        shown_on=(problem_page,),
        page_fields=(*MeetingForm.base_fields, "id"),  # the meeting form around it; the formset's row id
        writable=("meeting",),  # the new meeting's id differs between the two posts
        form_in=lambda context: next(iter(context["decisions"].forms), None) if "decisions" in context else None,
    ),
    FormCase(
        name="meeting_edit",
        url="supervision:meeting_edit",
        setup=world,
        kwargs=lambda o: {"pk": o.meeting.pk},
        form=lambda o, data: MeetingForm(data, instance=o.meeting),
        valid=lambda o: {**meeting_data(o, decision_id=o.decision.pk), "version": o.meeting.version},
        target=lambda o: o.meeting,
        shown_on=(problem_page,),
    ),
    FormCase(
        name="decision_done",
        url="supervision:decision_done",
        setup=world,
        kwargs=lambda o: {"pk": o.decision.pk},
        form=lambda o, data: DecisionDoneForm(data),
        valid=lambda o: {"done_on": "2026-05-14"},
        target=lambda o: o.decision,
        shown_on=(problem_page,),
    ),
    FormCase(
        name="attachment_add",
        url="supervision:attachment_add",
        setup=world,
        kwargs=lambda o: {"pk": o.review.pk},
        form=lambda o, data: AttachmentForm(*bind_files(data)),
        valid=lambda o: {"file": SimpleUploadedFile("现场.png", png(), content_type="image/png")},
        created=lambda o: o.review.attachments.filter(original_name="现场.png"),
        shown_on=(review_page,),
        form_in=lambda context: context.get("attachment_form"),
        # Each stored file gets a new random name and token (congress.uploads).
        writable=("file", "token", "uploaded_at"),
    ),
]

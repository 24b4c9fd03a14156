"""URLs of the supervision app."""

from django.urls import path

from supervision import views, views_problems, views_voting

app_name = "supervision"
urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/status/", views.project_transition, name="project_transition"),
    path("projects/<int:pk>/targets/", views.project_targets, name="project_targets"),
    path("projects/<int:pk>/deadline/", views.project_deadline, name="project_deadline"),
    path("projects/<int:pk>/notes/", views.note_create, name="note_create"),
    path("notes/<int:pk>/photo/", views.note_photo, name="note_photo"),
    path("targets/<int:pk>/progress/", views.target_progress, name="target_progress"),
    path("projects/<int:pk>/problems/new/", views_problems.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views_problems.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views_problems.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/meetings/new/", views_problems.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/edit/", views_problems.meeting_edit, name="meeting_edit"),
    path("decisions/<int:pk>/done/", views_problems.decision_done, name="decision_done"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("reviews/<int:pk>/", views.review_edit, name="review_edit"),
    path("rounds/<int:pk>/circular/", views.circular_draft, name="circular_draft"),
    path("circulars/", views.circular_list, name="circular_list"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/print/", views.circular_print, name="circular_print"),
    path("circulars/<int:pk>/publish/", views.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/correct/", views.circular_correct, name="circular_correct"),
    path("circulars/<int:pk>.xlsx", views.circular_xlsx, name="circular_xlsx"),
    path("circulars/<int:pk>.pdf", views.circular_pdf, name="circular_pdf"),
    path("reviews/<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("table/", views.division_table, name="division_table"),
    path("table.xlsx", views.division_table_xlsx, name="division_table_xlsx"),
    path("votes/", views_voting.vote_list, name="vote_list"),
    path("votes/session/<int:pk>/", views_voting.session_vote, name="session_vote"),
    path("votes/session/<int:pk>/open/", views_voting.vote_open, name="vote_open"),
    path("votes/<int:pk>/", views_voting.vote_detail, name="vote_detail"),
    path("votes/<int:pk>/close/", views_voting.vote_close, name="vote_close"),
    path("votes/<int:pk>/ballot/", views_voting.vote_ballot, name="vote_ballot"),
    path("votes/<int:pk>/results/", views_voting.vote_results, name="vote_results"),
    path("votes/items/<int:pk>/", views_voting.vote_item, name="vote_item"),
]

# Whole-process supervision (全过程监督): key projects, inspections, rectification, evaluations, law inspections.
from supervision import views_keyworks as kw  # noqa: E402

urlpatterns += [
    path("keyprojects/", kw.keyproject_list, name="keyproject_list"),
    path("keyprojects/new/", kw.keyproject_create, name="keyproject_create"),
    path("keyprojects/<int:pk>/", kw.keyproject_detail, name="keyproject_detail"),
    path("keyprojects/<int:pk>/stages/", kw.stage_add, name="stage_add"),
    path("keyprojects/<int:pk>/deputies/", kw.assignment_add, name="assignment_add"),
    path("keyprojects/deputies/<int:pk>/remove/", kw.assignment_remove, name="assignment_remove"),
    path("stages/<int:pk>/inspect/", kw.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", kw.inspection_detail, name="inspection_detail"),
    path("inspection-suggestions/<int:pk>/rectify/", kw.suggestion_rectify, name="suggestion_rectify"),
    path("rectifications/", kw.rectification_list, name="rectification_list"),
    path("rectifications/new/<str:kind>/<int:pk>/", kw.rectification_add, name="rectification_add"),
    path("rectifications/<int:pk>/", kw.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/answer/", kw.rectification_answer, name="rectification_answer"),
    path("rectifications/<int:pk>/look-back/", kw.look_back_create, name="look_back_create"),
    path("evaluations/", kw.evaluation_list, name="evaluation_list"),
    path("evaluations/new/", kw.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", kw.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/steps/", kw.evaluation_steps, name="evaluation_steps"),
    path("evaluations/<int:pk>/vote/", kw.evaluation_vote, name="evaluation_vote"),
    path("laws/", kw.law_list, name="law_list"),
    path("laws/new/", kw.law_create, name="law_create"),
    path("laws/<int:pk>/", kw.law_detail, name="law_detail"),
    path("laws/<int:pk>/activities/", kw.law_activity_add, name="law_activity_add"),
    path("laws/<int:pk>/findings/", kw.law_findings, name="law_findings"),
]

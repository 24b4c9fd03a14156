"""Files attached to a suggestion (附件): checked on the way in, private, shown and printed with it."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congress.models import Attachment
from suggestions import services as svc
from suggestions.models import Suggestion
from tests import factories
from tests.suggestions.factories import suggestion_in_state

State = Suggestion.State
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
FORM = {"title": "建议村里安装路灯", "category": "urban", "content": "北房村主街夜间无照明。"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf(name="现场照片说明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(root) -> list[str]:
    return [name for _dir, _subdirs, names in os.walk(root) for name in names]


def at(state, cast, **kw):
    return suggestion_in_state(state, proposer=cast.deputy, staff=cast.staff, department=cast.department, **kw)


def test_a_deputy_submits_a_suggestion_with_two_attachments(client, cast, media_root):
    client.force_login(cast.deputy_user)
    response = client.post(
        reverse("suggestions:create"), {**FORM, "attachments": [pdf(), pdf("路段示意.pdf")], "submit": "1"}
    )
    s = Suggestion.objects.get()
    assert response.status_code == 302
    assert s.state == State.SUBMITTED
    assert sorted(a.original_name for a in s.attachments.all()) == ["现场照片说明.pdf", "路段示意.pdf"]
    assert {a.town_id for a in s.attachments.all()} == {cast.town.pk}
    # Stored under random names in private storage, never under the client's name.
    assert len(stored_files(media_root / "private")) == 2
    assert not any("现场" in name for name in stored_files(media_root))


def test_a_file_of_the_wrong_type_is_refused_on_its_field_and_nothing_is_saved(client, cast, media_root):
    client.force_login(cast.deputy_user)
    script = SimpleUploadedFile("路灯.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client.post(reverse("suggestions:create"), {**FORM, "attachments": [pdf(), script], "submit": "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "只能上传" in " ".join(form.errors["attachments"])
    assert form["title"].value() == FORM["title"]  # what was typed comes back
    assert not Suggestion.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []  # the file stored before the refused one went too


def test_an_oversized_file_is_refused_on_its_field(client, cast, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(cast.deputy_user)
    big = pdf("大文件.pdf", PDF + b"0" * 2048)
    response = client.post(reverse("suggestions:create"), {**FORM, "attachments": [big], "draft": "1"})
    assert response.status_code == 200
    assert "大文件.pdf 超过" in " ".join(response.context["form"].errors["attachments"])
    assert not Suggestion.objects.exists()


def draft_with_file(cast):
    s = at(State.DRAFT, cast, joint=[cast.other_deputy])
    return s, svc.attach_file(by=cast.deputy_user, suggestion=s, uploaded_file=pdf())


def assign(cast, s):
    svc.submit_suggestion(by=cast.deputy_user, suggestion=s, today=dt.date(2026, 2, 20))
    svc.accept_suggestion(by=cast.staff, suggestion=s)
    return svc.assign_suggestion(
        by=cast.staff, suggestion=s, lead_department=cast.department, assigned_on=dt.date(2026, 3, 2)
    )


def test_staff_attach_a_file_for_a_deputy_without_a_login(cast):
    unlinked = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, name="赵无号")
    s = suggestion_in_state(State.DRAFT, proposer=unlinked, staff=cast.staff)
    attachment = svc.attach_file(by=cast.staff, suggestion=s, uploaded_file=pdf())
    assert (attachment.owner, attachment.uploaded_by) == (s, cast.staff)


def test_staff_do_not_attach_files_to_a_deputys_own_draft(cast):
    s = at(State.DRAFT, cast)
    with pytest.raises(svc.IllegalTransition):
        svc.attach_file(by=cast.staff, suggestion=s, uploaded_file=pdf())
    assert not Attachment.objects.exists()


def test_only_a_draft_takes_files(cast):
    s = at(State.SUBMITTED, cast)
    with pytest.raises(svc.IllegalTransition):
        svc.attach_file(by=cast.deputy_user, suggestion=s, uploaded_file=pdf())
    assert not Attachment.objects.exists()


def test_a_joint_proposer_does_not_attach_files(cast):
    s = at(State.DRAFT, cast, joint=[cast.other_deputy])
    with pytest.raises(svc.IllegalTransition):
        svc.attach_file(by=cast.other_deputy_user, suggestion=s, uploaded_file=pdf())
    assert not Attachment.objects.exists()


def test_the_proposer_removes_a_file_from_the_draft(client, cast, media_root, django_capture_on_commit_callbacks):
    s, attachment = draft_with_file(cast)
    client.force_login(cast.deputy_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("suggestions:attachment_remove", args=[s.pk, attachment.pk]))
    assert response.status_code == 302
    assert not s.attachments.exists()
    assert stored_files(media_root) == []


def test_a_file_of_another_suggestion_is_not_removed_through_this_one(client, cast):
    s, _attachment = draft_with_file(cast)
    _other, theirs = draft_with_file(cast)
    client.force_login(cast.deputy_user)
    assert client.post(reverse("suggestions:attachment_remove", args=[s.pk, theirs.pk])).status_code == 404
    assert Attachment.objects.filter(pk=theirs.pk).exists()


def test_a_submitted_suggestions_files_stay(client, cast):
    s, attachment = draft_with_file(cast)
    svc.submit_suggestion(by=cast.deputy_user, suggestion=s, today=dt.date(2026, 2, 20))
    client.force_login(cast.deputy_user)
    assert client.post(reverse("suggestions:attachment_remove", args=[s.pk, attachment.pk])).status_code == 404
    assert s.attachments.count() == 1


def test_the_suggestion_page_and_both_printed_forms_list_the_files(client, cast):
    s, attachment = draft_with_file(cast)
    s = assign(cast, s)
    svc.answer_suggestion(
        by=cast.department_user, suggestion=s, text="已安装。", result_class="A", answered_on=dt.date(2026, 4, 2)
    )
    client.force_login(cast.deputy_user)
    page = client.get(s.get_absolute_url()).content.decode()
    assert attachment.get_absolute_url() in page and "现场照片说明.pdf" in page
    client.force_login(cast.staff)
    for name in ("print_assignment", "print_answer"):
        printed = client.get(reverse(f"suggestions:{name}", args=[s.pk])).content.decode()
        assert "现场照片说明.pdf" in printed, name


def test_the_department_reads_the_file_once_the_suggestion_is_assigned_to_it(client, cast):
    s, attachment = draft_with_file(cast)
    svc.submit_suggestion(by=cast.deputy_user, suggestion=s, today=dt.date(2026, 2, 20))
    client.force_login(cast.department_user)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    svc.accept_suggestion(by=cast.staff, suggestion=s)
    svc.assign_suggestion(by=cast.staff, suggestion=s, lead_department=cast.department, assigned_on=dt.date(2026, 3, 2))
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_drafts_file_is_read_only_by_its_proposers_until_submitted(client, cast):
    s, attachment = draft_with_file(cast)
    for user, status in [
        (cast.deputy_user, 200),
        (cast.other_deputy_user, 200),  # a joint proposer
        (cast.staff, 404),  # the deputy has a login: the draft is theirs alone
        (cast.chairman, 404),
        (cast.district_user, 404),
    ]:
        client.force_login(user)
        assert client.get(attachment.get_absolute_url()).status_code == status, user
    svc.submit_suggestion(by=cast.deputy_user, suggestion=s, today=dt.date(2026, 2, 20))
    client.force_login(cast.chairman)
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_staff_read_the_drafts_files_they_write_for_a_deputy_without_a_login(client, cast):
    unlinked = factories.DeputyFactory(town=cast.town, constituency=cast.deputy.constituency, name="赵无号")
    s = suggestion_in_state(State.DRAFT, proposer=unlinked, staff=cast.staff)
    attachment = svc.attach_file(by=cast.staff, suggestion=s, uploaded_file=pdf())
    client.force_login(cast.staff)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.force_login(cast.chairman)
    assert client.get(attachment.get_absolute_url()).status_code == 404

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from congress.models import Delivery, Notification
from congress.roles import Role
from supervision import circulars, services
from supervision.models import Circular
from tests import factories
from tests.supervision.factories import LivelihoodProjectFactory, reviewed_round


def test_the_draft_lists_each_project_with_its_change_since_the_previous_round(cast):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    assert circular.content["summary"] == {"green": 0, "yellow": 1, "red": 0}
    line = circular.content["lines"][0]
    assert (line["previous_actual"], line["actual"], line["change"], line["previous_light"]) == (10, 64, 54, "red")
    assert circular.content["problems"][0]["problems"] == "征地滞后"


def test_the_chairman_publishes_and_the_circular_is_frozen(cast, client):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    client.force_login(cast.chairman)
    client.post(reverse("supervision:circular_publish", args=[circular.pk]))
    circular.refresh_from_db()
    assert (circular.status, circular.published_by) == (Circular.Status.PUBLISHED, cast.chairman)
    with pytest.raises(ValidationError):
        services.update_circular_draft(circular=circular, by=cast.staff, title="改", introduction="")
    with pytest.raises(ValidationError):
        services.publish_circular(circular=circular, by=cast.chairman)
    assert Circular.objects.get(pk=circular.pk).title == circular.title


def test_staff_cannot_publish(cast, client):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    client.force_login(cast.staff)
    assert client.post(reverse("supervision:circular_publish", args=[circular.pk])).status_code == 403
    assert Circular.objects.get(pk=circular.pk).status == Circular.Status.DRAFT


def test_a_correction_is_a_new_version_pointing_to_the_old(cast):
    round_ = reviewed_round(cast)
    first = services.publish_circular(circular=services.draft_circular(round_=round_, by=cast.staff), by=cast.chairman)
    frozen = dict(first.content)
    review = round_.reviews.get()
    services.record_review(review=review, by=cast.staff, actual_percent=70, today=dt.date(2026, 6, 20))
    second = services.correct_circular(circular=first, by=cast.staff)
    services.publish_circular(circular=second, by=cast.chairman)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.version, second.corrects, second.content["lines"][0]["actual"]) == (2, first, 70)
    assert first.content == frozen
    with pytest.raises(ValidationError):
        services.draft_circular(round_=round_, by=cast.staff)


def test_drafts_are_hidden_from_deputies_but_published_circulars_are_not(cast, client):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    client.force_login(cast.deputy_user)
    url = reverse("supervision:circular_detail", args=[circular.pk])
    assert client.get(url).status_code == 404
    services.publish_circular(circular=circular, by=cast.chairman)
    assert client.get(url).status_code == 200


def test_outsider_gets_404_and_the_draft_stays_a_draft(cast, client):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    client.force_login(cast.outsider_staff)
    assert client.post(reverse("supervision:circular_correct", args=[circular.pk])).status_code == 404
    assert Circular.objects.count() == 1


def test_the_xlsx_carries_the_lines_of_the_page(cast, client):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    client.force_login(cast.staff)
    page = client.get(reverse("supervision:circular_detail", args=[circular.pk]))
    sheet = load_workbook(BytesIO(client.get(reverse("supervision:circular_xlsx", args=[circular.pk])).content)).active
    sheet_rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(min_row=4, max_row=4, values_only=True)
    ]
    assert sheet_rows == page.context["rows"] == circulars.line_rows(circular)


def test_circular_list_costs_the_same_with_5_and_50_circulars(cast, client):
    from tests.supervision.factories import ReviewRoundFactory

    def make(years):
        for year in years:
            round_ = ReviewRoundFactory(town=cast.town, year=year, opened_by=cast.staff)
            services.publish_circular(circular=services.draft_circular(round_=round_, by=cast.staff), by=cast.chairman)

    client.force_login(cast.deputy_user)
    url = reverse("supervision:circular_list")
    make(range(2001, 2006))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make(range(2006, 2051))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_print_view_carries_the_lines_and_problems_of_the_page(cast, client):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    client.force_login(cast.chairman)
    printed = client.get(reverse("supervision:circular_print", args=[circular.pk]))
    assert printed.context["rows"] == circulars.line_rows(circular)
    assert "征地滞后" in printed.content.decode()
    assert printed.templates[0].name == "supervision/circular_print.html"


def test_publishing_notifies_the_leaders_departments_and_supervisors_of_the_rounds_projects(cast):
    round_ = reviewed_round(cast)
    project = round_.reviews.get().project
    leader = factories.UserFactory(username="leader", role=Role.STAFF, town=cast.town, email="leader@example.cn")
    helper = factories.DepartmentFactory(town=cast.town, name="城建办")
    helper_user = factories.UserFactory(username="builder", role=Role.DEPARTMENT, town=cast.town, department=helper)
    project.lead_leader = leader
    project.save(update_fields=["lead_leader"])
    project.supervisors.set([cast.deputy])
    project.cooperating_departments.set([helper])
    LivelihoodProjectFactory(town=cast.town, supervisors=[cast.other_deputy])  # not in the round

    draft = services.draft_circular(round_=round_, by=cast.staff)
    circular = services.publish_circular(circular=draft, by=cast.chairman)

    told = Notification.objects.filter(kind="supervision.circular_published", subject=f"circular:{circular.pk}")
    assert set(told.values_list("recipient__username", flat=True)) == {"leader", "department", "builder", "deputy"}
    assert {n.url for n in told} == {circular.get_absolute_url()}
    assert Delivery.objects.filter(notification__in=told, channel="email", address="leader@example.cn").count() == 1
    assert helper_user.notifications.get().title.endswith(circular.title)

    second = services.correct_circular(circular=circular, by=cast.staff)
    services.publish_circular(circular=second, by=cast.chairman)
    assert Notification.objects.filter(subject=f"circular:{second.pk}").count() == 4


def test_a_refused_publication_notifies_nobody(cast):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    services.publish_circular(circular=circular, by=cast.chairman)
    before = Notification.objects.count()

    with pytest.raises(ValidationError):
        services.publish_circular(circular=circular, by=cast.chairman)

    assert Notification.objects.count() == before


def test_a_circular_with_the_longest_title_is_published_and_its_notification_title_shortened(cast):
    round_ = reviewed_round(cast)
    title = "关于民生实事项目推进情况的通报" * 13 + "（第一版）"
    draft = services.draft_circular(round_=round_, by=cast.staff, title=title)
    assert len(draft.title) == 200

    services.publish_circular(circular=draft, by=cast.chairman)

    (note,) = Notification.objects.filter(kind="supervision.circular_published")
    assert len(note.title) == 200 and note.title.endswith("…")
    assert Circular.objects.get(pk=draft.pk).status == Circular.Status.PUBLISHED


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_publishing_archives_a_pdf_with_the_chinese_title_and_the_projects(cast):
    round_ = reviewed_round(cast)
    draft = services.draft_circular(round_=round_, by=cast.staff)
    circular = services.publish_circular(circular=draft, by=cast.chairman)
    circular.refresh_from_db()
    with circular.pdf.open("rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "民生实事" in circular.title  # the Chinese title, made in the office's language
    assert circular.title.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    assert round_.reviews.get().project.name in text
    assert "征地滞后" in text


def test_a_draft_has_no_pdf_and_no_pdf_link(cast, client):
    circular = services.draft_circular(round_=reviewed_round(cast), by=cast.staff)
    client.force_login(cast.chairman)
    assert not circular.pdf
    assert client.get(reverse("supervision:circular_pdf", args=[circular.pk])).status_code == 404
    page = client.get(reverse("supervision:circular_detail", args=[circular.pk])).content.decode()
    assert reverse("supervision:circular_pdf", args=[circular.pk]) not in page


def test_the_archived_pdf_never_changes_after_publication(cast, client):
    round_ = reviewed_round(cast)
    first = services.publish_circular(circular=services.draft_circular(round_=round_, by=cast.staff), by=cast.chairman)
    with first.pdf.open("rb") as f:
        archived = f.read()
    project = round_.reviews.get().project
    services.update_project(by=cast.staff, project=project, name="改名后的项目")
    services.record_review(review=round_.reviews.get(), by=cast.staff, actual_percent=70, today=dt.date(2026, 6, 20))
    correction = services.correct_circular(circular=first, by=cast.staff)
    second = services.publish_circular(circular=correction, by=cast.chairman)
    first.refresh_from_db()
    client.force_login(cast.deputy_user)
    served = b"".join(client.get(reverse("supervision:circular_pdf", args=[first.pk])).streaming_content)
    assert served == archived
    assert "改名后的项目" not in pdf_text(archived)
    with second.pdf.open("rb") as f:
        assert "改名后的项目" in pdf_text(f.read())
    assert second.pdf.name != first.pdf.name
    with pytest.raises(IntegrityError), transaction.atomic():  # the database guards the PDF's name too
        Circular.objects.filter(pk=first.pk).update(pdf="elsewhere.pdf")


def test_the_published_page_links_its_pdf(cast, client):
    circular = services.publish_circular(
        circular=services.draft_circular(round_=reviewed_round(cast), by=cast.staff), by=cast.chairman
    )
    client.force_login(cast.deputy_user)
    page = client.get(reverse("supervision:circular_detail", args=[circular.pk])).content.decode()
    assert reverse("supervision:circular_pdf", args=[circular.pk]) in page

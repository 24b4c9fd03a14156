"""QuickSelect: the <select> the ledger's filter bar renders in Python."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import Village
from congress.widgets import QuickSelect
from tests import factories


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    widget = QuickSelect(choices=[("", "---------"), ("a", "<b>甲</b>"), ("b", "乙")], attrs={"class": "form-select"})

    html = widget.render("kind", "a", attrs={"id": "id_kind"})

    assert html.startswith('<select class="form-select" id="id_kind" name="kind">')
    assert '<option value="a" selected>&lt;b&gt;甲&lt;/b&gt;</option>' in html
    assert '<option value="b">乙</option>' in html
    assert '<option value="">---------</option>' in html


@pytest.mark.django_db
def test_model_choices_are_read_in_one_query_without_counting_them_first(cast):
    chosen = factories.VillageFactory(town=cast.town, name="安各庄村")
    field = forms.ModelChoiceField(queryset=Village.objects.filter(town=cast.town).order_by("pk"), widget=QuickSelect)

    with CaptureQueriesContext(connection) as queries:
        html = field.widget.render("village", chosen.pk)

    assert len(queries) == 1
    assert f'<option value="{chosen.pk}" selected>安各庄村</option>' in html
    assert f'<option value="{cast.village.pk}">北房村</option>' in html


def test_grouped_choices_are_left_to_django():
    widget = QuickSelect(choices=[("组", [("x", "一")])])

    assert "<optgroup" in widget.render("g", "x")

"""Every free-text field has a limit in the model and in the form: a 100,000-character text is a field
error, never a stored row (congress.models.fields.BoundedTextField)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from suggestions.models import Suggestion
from tests.suggestions.test_views import FORM

HUNDRED_THOUSAND = "字" * 100_000


def _text_fields() -> list[tuple[str, models.Field]]:
    found = []
    for config in apps.get_app_configs():
        if config.label not in settings.PROJECT_APPS and config.name not in settings.PROJECT_APPS:
            continue
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.TextField | models.CharField):
                    found.append((f"{model._meta.label}.{field.name}", field))
    return found


def test_the_walk_finds_the_text_fields():
    assert len([name for name, field in _text_fields() if isinstance(field, models.TextField)]) >= 48


@pytest.mark.parametrize(("name", "field"), _text_fields(), ids=[name for name, _field in _text_fields()])
def test_every_text_field_has_a_limit_that_cleaning_enforces(name, field):
    assert field.max_length, f"{name} takes text of any length"
    with pytest.raises(ValidationError):
        field.run_validators("字" * (field.max_length + 1))


@pytest.mark.django_db
def test_a_hundred_thousand_characters_in_a_suggestion_are_a_field_error(client, cast):
    client.force_login(cast.deputy_user)

    response = client.post(reverse("suggestions:create"), {**FORM, "content": HUNDRED_THOUSAND, "submit": "1"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["content"]
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_form_tells_the_browser_the_limit(client, cast):
    client.force_login(cast.deputy_user)

    html = client.get(reverse("suggestions:create")).content.decode()

    assert 'maxlength="10000"' in html

"""Password rules of 等保 2.0 level 2: at least 12 characters, three character classes, not common."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from congress.passwords import CharacterClassesValidator, character_classes
from congress.services import reference as services_reference
from demo import town as demo
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefghijkl", {"lower"}),
        ("ABCdef", {"lower", "upper"}),
        ("abc123", {"lower", "digit"}),
        ("abc-1", {"lower", "digit", "symbol"}),
        ("人大abc1", {"lower", "digit", "symbol"}),
        ("ａｂｃ１２３", {"symbol"}),  # full-width letters and digits are not ASCII letters or digits
    ],
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize(
    "password",
    [
        "Short-1a",  # three classes but 8 characters
        "abcdefghijklmnop",  # long, one class
        "abcdefgh12345678",  # long, two classes
        "Password1234",  # three classes but common
        "123456789012345",  # digits only
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Beifang-town-7", "beifang-town-77", "BEIFANG-77-TOWN", "北房镇人大代表-abc-1"])
def test_long_passwords_of_three_classes_are_accepted(password):
    validate_password(password)


def test_the_class_rule_explains_itself_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        CharacterClassesValidator(3).validate("abcdefghijklmnop")
    assert "至少" in caught.value.messages[0]


def test_the_demo_and_test_passwords_satisfy_the_rules():
    validate_password(demo.DEMO_PASSWORD)
    validate_password(PASSWORD)


def test_temporary_passwords_satisfy_the_rules():
    for _ in range(200):
        validate_password(services_reference.temporary_password())


def test_a_password_change_to_a_weak_password_is_refused_with_a_field_error(client, cast):
    deputy_user = cast.deputy_user
    client.force_login(deputy_user)
    weak = "abcdefghijklmnop"

    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    deputy_user.refresh_from_db()
    assert deputy_user.check_password(PASSWORD)

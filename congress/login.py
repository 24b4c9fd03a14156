"""Signing in: the login form and what django-axes records of an attempt."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

# The longest user name a login account can have (AbstractUser.username).
USERNAME_MAX_LENGTH = 150


class LoginForm(AuthenticationForm):
    """Django's login form, refusing an over-long user name before it reaches authentication.

    AuthenticationForm sets max_length on the field only after it is built, so the length is never
    validated; a 10,000-character name would reach django-axes, whose record of the attempt cannot hold it.
    """

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if len(username) > USERNAME_MAX_LENGTH:
            raise forms.ValidationError(_("This user name is too long."), code="max_length")
        return username


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The user name django-axes records, cut to what its table holds (the admin's login form too)."""
    source = credentials if credentials is not None else request.POST
    return str(source.get("username", ""))[:USERNAME_MAX_LENGTH]

"""Signing in: the login form and what django-axes records of an attempt."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also lifts the duty to change a password staff handed over."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        return response

    def get_success_url(self) -> str:
        # Back to where the account was going when it was sent here (a safe address of this site only).
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure()):
            return target
        return str(super().get_success_url())


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The user name django-axes records, cut to what its table holds (the admin's login form too)."""
    source = credentials if credentials is not None else request.POST
    return str(source.get("username", ""))[:USERNAME_MAX_LENGTH]

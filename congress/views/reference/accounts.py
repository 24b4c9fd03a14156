"""Login accounts of a town: list, create, reset a password, deactivate."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from congress import access
from congress.access import require_action
from congress.form_errors import call_with_form, call_with_messages
from congress.forms.reference import AccountForm, ConfirmForm
from congress.models import User
from congress.services import reference as services_reference
from congress.views.reference.common import paginate


@require_action("congress.manage_accounts")
@require_safe
def account_list(request: HttpRequest) -> HttpResponse:
    accounts = access.scope(
        request.user, User.objects.select_related("town", "village", "department", "deputy").order_by("username")
    )
    return render(request, "congress/accounts/list.html", {"page": paginate(request, accounts)})


@never_cache
@require_action("congress.manage_accounts")
def account_create(request: HttpRequest) -> HttpResponse:
    town = access.home_town(request.user)
    form = AccountForm(request.POST if request.method == "POST" else None, user=request.user, town=town)
    if form.is_bound and form.is_valid():
        # The form's fields are the service's: username, full name, phone, role and the role's scope.
        created = call_with_form(
            request,
            form,
            lambda: services_reference.create_account(by=access.account(request), town=town, **form.cleaned_data),
        )
        if created is not None:
            return _show_password(request, *created.value)
    return render(request, "congress/accounts/form.html", {"form": form})


@never_cache
@require_action("congress.manage_accounts")
def account_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_object_or_404(request.user, User, pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None, label=_("Reset the password"))
    if form.is_bound and form.is_valid():
        password = services_reference.reset_password(by=access.account(request), account=account)
        return _show_password(request, account, password)
    return render(
        request, "congress/accounts/confirm.html", {"form": form, "account": account, "action": "password_reset"}
    )


@require_action("congress.manage_accounts")
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.get_object_or_404(request.user, User, pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None, label=_("Deactivate the account"))
    if form.is_bound and form.is_valid():
        call_with_messages(
            request,
            lambda: services_reference.deactivate_account(by=access.account(request), account=account),
            _("%(account)s can no longer sign in.") % {"account": account},
        )
        return redirect("congress:account_list")
    return render(request, "congress/accounts/confirm.html", {"form": form, "account": account, "action": "deactivate"})


def _show_password(request: HttpRequest, account: User, password: str) -> HttpResponse:
    """The temporary password, in this response only: it is stored nowhere in clear."""
    return render(request, "congress/accounts/temporary_password.html", {"account": account, "password": password})

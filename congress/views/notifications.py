"""The in-app inbox (提醒): a user's own notifications, marking them read, and channel preferences; and
the office's list of unconfirmed deliveries (未确认的发送), each marked delivered or sent again.

A user's scope in the inbox is their own inbox: every query filters on the recipient, which is stricter
than any town scope, so another user's notification is a 404. Deliveries are scoped by town
(congress.access): another town's delivery is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import access, notifications
from congress.access import require_action
from congress.form_errors import form_page
from congress.forms.notifications import ChannelPreferenceForm, ResolveDeliveryForm
from congress.models import ChannelPreference, Delivery, Notification, User


def _own(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_action("congress.view_inbox")
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = _own(request)
    page = Paginator(Notification.objects.filter(recipient=user), 30).get_page(request.GET.get("page"))
    return render(request, "congress/notifications/inbox.html", {"page": page})


@require_action("congress.view_inbox")
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _own(request)
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        raise Http404
    notifications.mark_read(user=user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return HttpResponseRedirect(notification.url)
    return redirect("congress:inbox")


@require_action("congress.view_inbox")
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications.mark_all_read(user=_own(request))
    return redirect("congress:inbox")


@require_action("congress.view_inbox")
def channel_settings(request: HttpRequest) -> HttpResponse:
    user = _own(request)
    preference = ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)
    form = ChannelPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        notifications.save_channel_preference(user=user, preference=form.save(commit=False))
        messages.success(request, _("Your notification channels are saved."))
        return redirect("congress:inbox")
    return render(request, "congress/notifications/channels.html", {"form": form})


@require_action("congress.resolve_deliveries")
@require_safe
def unconfirmed_deliveries(request: HttpRequest) -> HttpResponse:
    """The town's deliveries whose arrival is not known, oldest attempt first."""
    rows = (
        access.scope(request.user, Delivery)
        .filter(state=Delivery.State.UNKNOWN)
        .select_related("notification__recipient")
        .order_by("attempted_at", "pk")
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    for delivery in page:
        delivery.shown_address = notifications.shown_address(delivery)  # type: ignore[attr-defined]
    return render(request, "congress/notifications/unconfirmed.html", {"page": page, "form": ResolveDeliveryForm()})


@require_action("congress.resolve_deliveries")
def resolve_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one unconfirmed delivery delivered, or send it again."""
    delivery = access.get_object_or_404(request.user, Delivery.objects.select_related("notification__recipient"), pk=pk)
    form = ResolveDeliveryForm(request.POST if request.method == "POST" else None)

    def save() -> str:
        notifications.resolve_unconfirmed(
            by=access.account(request), delivery=delivery, outcome=form.cleaned_data["outcome"]
        )
        return reverse("congress:deliveries_unconfirmed")

    return form_page(
        request,
        form,
        "congress/notifications/resolve.html",
        {"delivery": delivery, "shown_address": notifications.shown_address(delivery)},
        save=save,
        done=_("The decision is recorded."),
    )

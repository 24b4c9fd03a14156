"""The in-app inbox (提醒): a user's own notifications, marking them read, and channel preferences.

A user's scope here is their own inbox: every query filters on the recipient, which is stricter than
any town scope, so another user's notification is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from congress import notifications
from congress.access import require_action
from congress.forms.notifications import ChannelPreferenceForm
from congress.models import ChannelPreference, Notification, User


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

"""The town's list of opinion categories (意见建议类别), kept by staff."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import access
from congress.form_errors import call_with_form
from visits.models import OpinionCategory
from visits.services import save_opinion_category


class CategoryForm(forms.ModelForm):
    class Meta:
        model = OpinionCategory
        fields = ["name", "position", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", gettext_lazy("Save")))


def _saved(request: HttpRequest, form: CategoryForm) -> bool:
    """Whether the form was posted, valid and its category saved; the service's errors stay on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    done = call_with_form(
        request,
        form,
        lambda: save_opinion_category(by=access.account(request), category=form.instance),
        _("The category was saved."),
    )
    return done is not None


@access.require_action("visits.manage_categories")
def category_list(request: HttpRequest) -> HttpResponse:
    """The categories of the staff member's town (seeded on first use), with a form to add one."""
    town = access.home_town(request.user)
    categories = OpinionCategory.objects.for_town(town)
    form = CategoryForm(request.POST or None, initial={"position": len(categories)})
    if _saved(request, form):
        return redirect("visits:category_list")
    return render(request, "visits/category_list.html", {"categories": categories, "form": form})


@access.require_action("visits.manage_categories")
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = access.get_object_or_404(request.user, OpinionCategory, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if _saved(request, form):
        return redirect("visits:category_list")
    return render(request, "visits/simple_form.html", {"form": form, "title": category.name})

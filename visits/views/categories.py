"""The town's list of opinion categories (意见建议类别), kept by staff."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import access
from congress.form_errors import add_service_errors
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


@access.require_action("visits.manage_categories")
def category_list(request: HttpRequest) -> HttpResponse:
    """The categories of the staff member's town (seeded on first use), with a form to add one."""
    town = access.home_town(request.user)
    categories = OpinionCategory.objects.for_town(town)
    form = CategoryForm(request.POST or None, initial={"position": len(categories)})
    if request.method == "POST" and form.is_valid():
        try:
            save_opinion_category(by=access.account(request), category=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("visits:category_list")
    return render(request, "visits/category_list.html", {"categories": categories, "form": form})


@access.require_action("visits.manage_categories")
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = access.get_object_or_404(request.user, OpinionCategory, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            save_opinion_category(by=access.account(request), category=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The category was saved."))
            return redirect("visits:category_list")
    return render(request, "visits/simple_form.html", {"form": form, "title": category.name})

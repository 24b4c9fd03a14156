"""Filters of the visits lists; their choices are narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congress import access
from congress.models import Deputy, Village, VisitMethod
from congress.widgets import QuickSelect
from visits.models import Opinion, OpinionCategory, Visit, VisitQuerySet

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
# The ledger lays its filter bar out itself (components/filter_field.html), so the widgets carry
# Bootstrap's classes.
SELECT = QuickSelect(attrs={"class": "form-select"})


class VisitFilter(django_filters.FilterSet):
    """The ledger's filters: village, deputy, date range, method, with opinions."""

    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=Village.objects.none(), widget=SELECT)
    deputy = django_filters.ModelChoiceFilter(
        label=_("Deputy"), field_name="deputies", queryset=Deputy.objects.none(), widget=SELECT
    )
    date_from = django_filters.DateFilter(label=_("From"), field_name="visited_on", lookup_expr="gte", widget=DATE)
    date_to = django_filters.DateFilter(label=_("To"), field_name="visited_on", lookup_expr="lte", widget=DATE)
    method = django_filters.ChoiceFilter(label=_("Method"), choices=VisitMethod.choices, widget=SELECT)
    with_opinions = django_filters.BooleanFilter(
        label=_("With opinions"),
        method="filter_with_opinions",
        widget=forms.NullBooleanSelect(attrs={"class": "form-select"}),
    )
    opinion_category = django_filters.ModelChoiceFilter(
        label=_("Opinion category"),
        method="filter_opinion_category",
        queryset=OpinionCategory.objects.none(),
        widget=SELECT,
    )

    class Meta:
        model = Visit
        fields = ["village", "deputy", "date_from", "date_to", "method", "with_opinions", "opinion_category"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["village"].queryset = access.scope(user, Village)
        self.filters["deputy"].queryset = access.scope(user, Deputy)
        self.filters["opinion_category"].queryset = access.scope(user, OpinionCategory)

    # The filterset's queryset is the visits' own (Visit.objects or the user's scope of it).
    def filter_with_opinions(self, queryset: VisitQuerySet, name: str, value: bool | None) -> QuerySet[Visit]:
        if value is None:
            return queryset
        with_opinions = queryset.with_opinions()
        return with_opinions if value else queryset.exclude(pk__in=with_opinions.values("pk"))

    def filter_opinion_category(
        self, queryset: QuerySet[Visit], name: str, value: OpinionCategory | None
    ) -> QuerySet[Visit]:
        if value is None:
            return queryset
        return queryset.filter(pk__in=Opinion.objects.filter(category=value).values("visit_id"))

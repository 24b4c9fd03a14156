"""Forms of the vote on livelihood projects (票决): they check the shape; services.voting checks the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models.fields import SHORT_TEXT
from supervision.forms.common import submit_helper
from supervision.models import ProjectVoteItem


class CountsForm(forms.ModelForm):
    """An item's counts: 赞成 / 反对 / 弃权."""

    class Meta:
        model = ProjectVoteItem
        fields = ["votes_for", "votes_against", "abstentions"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True
        self.helper = submit_helper(_("Save the counts"))


class TiedItemChoice(forms.ModelMultipleChoiceField):
    """Tied items labelled with their project."""

    def label_from_instance(self, obj: ProjectVoteItem) -> str:
        return str(obj.project)


class CloseVoteForm(forms.Form):
    """Closing the vote; with a tie at the cut, the tied items the decision adopts and how it was decided."""

    tie_winners = TiedItemChoice(
        label=_("Tied items adopted by the decision"),
        queryset=ProjectVoteItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tie_decision = forms.CharField(
        max_length=SHORT_TEXT,
        label=_("How the tie was decided"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the presidium put the tied items to a second vote on 15 February."),
    )

    def __init__(self, *args: Any, tied: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tied:
            tie_winners = cast(TiedItemChoice, self.fields["tie_winners"])
            tie_winners.queryset = ProjectVoteItem.objects.filter(pk__in=tied).select_related("project")
        else:
            del self.fields["tie_winners"]
            del self.fields["tie_decision"]
        self.helper = submit_helper(_("Close the vote and set the projects' status"))

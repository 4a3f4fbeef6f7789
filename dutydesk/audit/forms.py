from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.audit.queries import action_choices


class HistoryForm(forms.Form):
    """The filters of a history page; every field optional, a bad value is a message, never a 500."""

    text = forms.CharField(label=_("Contains"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("date range", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=pgettext_lazy("date range", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    day = forms.DateField(required=False, widget=forms.HiddenInput)
    roster = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)

    def __init__(self, *args, team_choices=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:  # a team's page: narrow to a person or a day
            self.fields["person"] = forms.TypedChoiceField(
                label=_("Person"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Everyone")), *people],
            )
            self.fields["day"].widget = forms.DateInput(attrs={"type": "date"})
            self.fields["day"].label = _("Day")
        self.fields["action"].choices = [("", _("Any action")), *action_choices()]
        if team_choices is not None:
            self.fields["team"] = forms.TypedChoiceField(
                label=_("Team"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Every team")), *team_choices],
            )

        for field in self.visible_fields():
            widget = field.field.widget
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

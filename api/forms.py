from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from api.models import Scope
from dutydesk.models import Team


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("an API token's", "Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. my script."),
    )


class ServiceTokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("an API token's", "Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. the payroll system."),
    )
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    team = forms.ModelChoiceField(
        label=_("Only this team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("Every team"),
    )

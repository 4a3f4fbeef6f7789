from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from api.models import EVENT_LABELS, Scope
from api.webhooks import address_refusal
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


class WebhookEndpointForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("a webhook endpoint's", "Name"),
        max_length=80,
        help_text=_("What receives the events, e.g. the payroll system."),
    )
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_("An https address on the internet; it receives each event as a signed POST."),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=list(EVENT_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )
    team = forms.ModelChoiceField(
        label=_("Only this team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("Every team"),
    )

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        refusal = address_refusal(url)
        if refusal:
            raise forms.ValidationError(refusal)
        return url

"""Input validation and crispy layouts of the marketplace. Choices are built from what the person may pick, so a
forged id is an invalid choice; the services check everything again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leave.forms import shift_label
from market.models import MarketSettings, OfferKind


def _helper(label, testid: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label, data_testid=testid))
    return helper


class PostForm(forms.Form):
    duty_shift = forms.TypedChoiceField(label=_("Shift"), coerce=int)
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10, initial=1)
    reason = forms.CharField(
        label=_("Note (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, shifts, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for shift, short in shifts:
            label = shift_label(shift)
            if short:
                label += " · " + ngettext("%(n)s place uncovered", "%(n)s places uncovered", short) % {"n": short}
            choices.append((shift.pk, label))
        self.fields["duty_shift"].choices = choices
        self.helper = _helper(_("Post the open shift"), "post-submit")


class OfferForm(forms.Form):
    duty_shift = forms.TypedChoiceField(label=_("My shift"), coerce=int)
    kind = forms.ChoiceField(
        label=_("How"),
        choices=[(OfferKind.GIVE_AWAY, _("Give it away")), (OfferKind.TRADE, _("Trade it"))],
        widget=forms.RadioSelect,
        initial=OfferKind.GIVE_AWAY,
    )
    wants = forms.TypedMultipleChoiceField(
        label=_("In exchange for one of (trade)"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, shifts, theirs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty_shift"].choices = [(s.pk, shift_label(s)) for s in shifts]
        self.fields["wants"].choices = [
            (a.duty_shift_id, f"{shift_label(a.duty_shift)} · {a.profile.name}") for a in theirs
        ]
        self.helper = _helper(_("Offer my shift"), "offer-submit")

    def clean(self):
        data = super().clean()
        if data.get("kind") == OfferKind.TRADE and not data.get("wants"):
            self.add_error("wants", _("Choose the colleagues' shifts you would take in exchange."))
        return data


class ClaimForm(forms.Form):
    # Trade: which of my shifts the giver takes in exchange (none: paid back later). The service checks it is one
    # asked for and mine.
    give_back = forms.IntegerField(required=False, min_value=1)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MarketSettings
        fields = ["first_claim_wins", "order", "monthly_cap", "give_away_hours", "payback"]
        widgets = {"order": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monthly_cap"].max_value = 31
        self.fields["monthly_cap"].widget.attrs["max"] = 31
        self.fields["give_away_hours"].widget.attrs["max"] = 24 * 14
        self.helper = _helper(_("Save"), "settings-submit")

"""Input validation of the compensation pages and their crispy layouts. The services check everything again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from compensation import rules
from compensation.models import CompensationPolicy, PolicyException, ResponseKind, Treatment
from compensation.services import POLICY_FIELDS, problem_message


class _Button(Submit):
    """A submit button of exactly the classes asked for: crispy's Submit always adds btn-primary, so the
    correction's btn-outline-danger came out as "btn btn-primary btn-outline-danger" (issue #27 point 11)."""

    field_classes = "btn"


def _helper(label, testid: str, *, css: str = "btn-primary", confirm: str = "") -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the template writes the <form> with its action and CSRF token
    attrs = {"data_testid": testid}
    if confirm:
        attrs["data_confirm"] = confirm
    helper.add_input(_Button("save", label, css_class=css, **attrs))
    return helper


def _problems_to_errors(form, values: dict) -> None:
    for name, problem in rules.policy_problems(values):
        form.add_error(name if name in form.fields else None, problem_message(problem))


class PolicyForm(forms.ModelForm):
    never_expires = forms.BooleanField(label=_("Comp time never expires"), required=False)
    field_order = [*POLICY_FIELDS[:7], "never_expires", "reward_hours"]

    class Meta:
        model = CompensationPolicy
        fields = list(POLICY_FIELDS)
        widgets = {"rest_day_treatment": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.expiry_months is None:
            self.initial["never_expires"] = True
        for name in ("rest_day_ratio", "holiday_ratio", "rest_day_multiplier", "holiday_multiplier", "reward_hours"):
            self.fields[name].widget.attrs.update({"step": "0.05"})
        self.helper = _helper(_("Save the policy"), "policy-save")

    def clean(self):
        data = super().clean()
        if data.get("never_expires"):
            data["expiry_months"] = None
        elif data.get("expiry_months") is None and "expiry_months" not in self.errors:
            self.add_error("expiry_months", _("Give the months, or tick “never expires”."))
        _problems_to_errors(self, data)
        if data.get("reward_hours") is not None and data["reward_hours"] <= 0:
            self.add_error("reward_hours", _("Give more than 0 hours."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in POLICY_FIELDS}


class ExceptionForm(forms.ModelForm):
    profile = forms.TypedChoiceField(label=_("Person"), coerce=int)
    field_order = ["profile", *rules.EXCEPTION_FIELDS, "reason"]

    class Meta:
        model = PolicyException
        fields = list(rules.EXCEPTION_FIELDS) + ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [(p.pk, p.name) for p in people]
        self.fields["rest_day_treatment"].choices = [("", _("As the team"))] + list(Treatment.choices)
        self.fields["holiday_comp_time"] = forms.NullBooleanField(
            label=self.fields["holiday_comp_time"].label,
            required=False,
            widget=forms.Select(choices=[("unknown", _("As the team")), ("true", _("Yes")), ("false", _("No"))]),
        )
        for name in ("rest_day_ratio", "holiday_ratio", "rest_day_multiplier", "holiday_multiplier"):
            self.fields[name].help_text = _("Empty: as the team.")
        self.helper = _helper(_("Save the exception"), "exception-save")

    def clean(self):
        data = super().clean()
        _problems_to_errors(self, data)
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in rules.EXCEPTION_FIELDS}


class RespondForm(forms.Form):
    kind = forms.ChoiceField(label=_("Your answer"), choices=ResponseKind.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send"), "respond")

    def clean(self):
        data = super().clean()
        if data.get("kind") == ResponseKind.DISPUTED and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what you dispute."))
        return data


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Resolve the dispute"), "resolve")


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Compute a corrected version"),
            "correct",
            css="btn-outline-danger",
            confirm=_("Compute a corrected version of the finalised month?"),
        )


class RewardForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Comp time (hours)"), min_value=0.5, max_value=80, max_digits=4, decimal_places=2
    )

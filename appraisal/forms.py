"""Input validation of the appraisal pages (layout: crispy bootstrap5)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisal.models import DailyEvaluation, Rating, ResponseKind, Scale, TeamAppraisalSettings
from dutydesk import spreadsheets
from dutydesk.limits import NOTE

RATING_FIELDS = ("inquiry", "complaint", "business", "records", "attitude")
NUMERIC_SCALES = [(Scale.FIVE, Scale.FIVE.label), (Scale.PERCENT, Scale.PERCENT.label)]


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = DailyEvaluation
        fields = [*RATING_FIELDS, "comment"]
        widgets = {name: forms.RadioSelect(attrs={"class": "rating"}) for name in RATING_FIELDS} | {
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RATING_FIELDS:
            self.fields[name].choices = Rating.choices  # no empty choice: every aspect is rated

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in RATING_FIELDS}


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Survey file (CSV or Excel)"),
        help_text=_("Columns: agent (username or name), date, score or satisfied/unsatisfied; optional: reference."),
    )
    scale = forms.ChoiceField(label=_("Scale of numeric scores"), choices=NUMERIC_SCALES, initial=Scale.FIVE)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB; split it."))
        return upload


class SurveyConfirmForm(forms.Form):
    """A clean preview carries the file back for the import; the server checks it again."""

    # Base64 of at most one upload (4 characters per 3 bytes).
    content = forms.CharField(widget=forms.HiddenInput, max_length=(spreadsheets.MAX_UPLOAD_BYTES + 2) // 3 * 4)
    file_name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    scale = forms.ChoiceField(widget=forms.HiddenInput, choices=NUMERIC_SCALES)


class ManualSurveyForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Agent"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices, initial=Scale.FIVE)
    score = forms.IntegerField(
        label=_("Score"), min_value=0, max_value=100, help_text=_("Satisfied / unsatisfied: 1 or 0.")
    )
    reference = forms.CharField(label=_("Survey reference"), max_length=80, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = people

    def clean(self):
        data = super().clean()
        scale, score = data.get("scale"), data.get("score")
        if scale and score is not None:
            low, high = {"five": (1, 5), "percent": (0, 100), "binary": (0, 1)}[scale]
            if not low <= score <= high:
                self.add_error(
                    "score", _("On this scale a score is from %(low)d to %(high)d.") % {"low": low, "high": high}
                )
        return data


class RespondForm(forms.Form):
    kind = forms.ChoiceField(label=_("Your answer"), choices=ResponseKind.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ResponseKind.DISPUTED and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what you dispute."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


WEIGHTS = (
    "weight_satisfaction",
    "weight_on_time",
    "weight_accuracy",
    "weight_attitude",
    "weight_evaluation",
    "weight_discipline",
)


class AppraisalSettingsForm(forms.ModelForm):
    """The team's weights and thresholds (R-APP-3, R-APP-5); the database checks the same rules."""

    class Meta:
        model = TeamAppraisalSettings
        exclude = ["team"]

    def clean(self):
        data = super().clean()
        if all(data.get(name) is not None for name in WEIGHTS):
            total = sum(data[name] for name in WEIGHTS)
            if total != 100:
                raise forms.ValidationError(
                    _("The weights add up to %(total)d; they must add up to 100.") % {"total": total}
                )
        for low, high in (
            ("satisfaction_good", "satisfaction_excellent"),
            ("on_time_good", "on_time_excellent"),
            ("composite_pass", "composite_good"),
            ("composite_good", "composite_excellent"),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(low, _("Must not be above %(other)s.") % {"other": self.fields[high].label})
        for name in ("satisfaction_excellent", "on_time_excellent", "composite_excellent", "poor_month_deduction"):
            if data.get(name) is not None and data[name] > 100:
                self.add_error(name, _("At most 100."))
        for name in ("reward_after_months", "review_after_months"):
            if data.get(name) is not None and data[name] < 1:
                self.add_error(name, _("At least 1."))
        return data

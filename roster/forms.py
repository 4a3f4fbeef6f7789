"""Input validation and crispy layouts for the roster pages."""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from dutydesk.models import Skill
from roster.models import AssignmentRole, AvailabilityKind, CalendarOverride, ShiftType, TeamRosterSettings

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label, css_class="btn-primary"))
    return helper


class RosterSettingsForm(forms.ModelForm):
    duty_weekdays = forms.TypedMultipleChoiceField(
        label=_("Duty weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Saturdays and Sundays unless the team says otherwise."),  # R-ROSTER-1
    )
    # R-LAW-1: the week every agent works outside duty; the calendar's 调休 working days add to it.
    regular_weekdays = forms.TypedMultipleChoiceField(
        label=_("Regular working week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The days everyone works outside duty (Monday to Friday unless the team says otherwise); the "
            "calendar's adjusted working days are added, its holidays taken out."
        ),
    )

    class Meta:
        model = TeamRosterSettings
        fields = [
            "duty_weekdays",
            "holidays_are_duty_days",
            "workdays_are_not_duty_days",
            "preset_promotion_days",
            "publish_days_ahead",
            "availability_closes_days",
            "max_consecutive_nights",
            "shadow_shifts_required",
            "solver_time_limit_s",
            "leave_notice_hours",
            "working_time_system",
            "regular_weekdays",
            "extended_hours_cap",
            "settlement_months",
            "count_comp_time_hours",
            "wish_window_opens_day",
            "wish_window_closes_day",
            "wish_days_off",
            "wish_weight",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save settings"))

    def clean_extended_hours_cap(self):
        # R-LAW-2: a team may be stricter than the law, never looser.
        value = self.cleaned_data["extended_hours_cap"]
        if value > 36:
            raise forms.ValidationError(_("At most 36 hours a month (Labour Law article 41)."))
        return value

    def clean_regular_weekdays(self):
        value = self.cleaned_data["regular_weekdays"]
        if not value:
            raise forms.ValidationError(_("Choose at least one day."))
        return sorted(value)

    def clean(self):
        data = super().clean()
        # Issue 26: the wish window lies in the month before (days every month has); the database checks it too.
        opens, closes = data.get("wish_window_opens_day"), data.get("wish_window_closes_day")
        if opens is not None and closes is not None and not 1 <= opens <= closes <= 31:
            self.add_error("wish_window_closes_day", _("The window opens and closes between day 1 and day 31."))
        if data.get("wish_days_off") is not None and data["wish_days_off"] > 8:
            self.add_error("wish_days_off", _("At most 8."))
        if data.get("wish_weight") is not None and data["wish_weight"] > 10:
            self.add_error("wish_weight", _("From 0 to 10."))
        return data

    def clean_solver_time_limit_s(self):
        value = self.cleaned_data["solver_time_limit_s"]
        if not 1 <= value <= 300:
            raise forms.ValidationError(_("Between 1 and 300 seconds."))
        return value

    def clean_max_consecutive_nights(self):
        value = self.cleaned_data["max_consecutive_nights"]
        if value < 1:
            raise forms.ValidationError(_("At least 1."))
        return value


class ShiftTypeForm(forms.ModelForm):
    required_skills = forms.ModelMultipleChoiceField(
        label=_("Required skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Shown (as a checkbox) only when new skills would leave people on published shifts without them (R-ROSTER-5).
    accept_skill_gaps = forms.BooleanField(
        label=_("Save anyway: I will change these shifts on the roster"), required=False, widget=forms.HiddenInput
    )

    def ask_to_accept_skill_gaps(self):
        self.fields["accept_skill_gaps"].widget = forms.CheckboxInput()

    class Meta:
        model = ShiftType
        fields = ["key", "name", "start", "end", "is_night", "headcount", "required_skills", "order", "active"]
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {"end": _("00:00 means midnight at the end of the day (24:00).")}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.helper = _helper(_("Save shift"))

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = ShiftType.objects.filter(team=self.team, key=key).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This team already has a shift with this key."))
        return key

    def clean_headcount(self):
        value = self.cleaned_data["headcount"]
        if value < 1:
            raise forms.ValidationError(_("At least 1."))
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("start") is not None
            and data.get("start") == data.get("end")
            and data["end"].hour + data["end"].minute
        ):
            raise forms.ValidationError(_("A shift cannot start and end at the same time."))
        return data


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date", "class": "form-control"}),
            "kind": forms.Select(attrs={"class": "form-select"}),
            "note": forms.TextInput(attrs={"class": "form-control"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save day"))


class CellForm(forms.Form):
    profile = forms.IntegerField()
    date = forms.DateField()
    value = forms.CharField(required=False, max_length=60)
    revision = forms.IntegerField(required=False)

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value and value.partition("|")[2] not in AssignmentRole.values:
            raise forms.ValidationError("unknown role")  # only a tampered request gets here
        return value

    def shift_and_role(self) -> tuple[str | None, str]:
        value = self.cleaned_data["value"]
        if not value:
            return None, AssignmentRole.MEMBER
        key, _sep, role = value.partition("|")
        return key, role or AssignmentRole.MEMBER


class PublishForm(forms.Form):
    revision = forms.IntegerField()
    reason = forms.CharField(required=False, max_length=2000)
    # R-ROSTER-5: more people than the headcount is allowed, once the supervisor says it is on purpose.
    accept_warnings = forms.BooleanField(required=False)
    # R-CAL-1: a month of a year whose holidays are not yet official is published only on an explicit confirmation.
    accept_provisional = forms.BooleanField(required=False)


class RevisionForm(forms.Form):
    revision = forms.IntegerField(required=False)


AVAILABILITY_CHOICES = [("", _("No wish"))] + list(AvailabilityKind.choices)
SHIFT_WISH_CHOICES = [("", _("No wish")), ("prefer", _("I'd like this shift")), ("avoid", _("I'd rather not"))]


class AvailabilityForm(forms.Form):
    """One choice and note per duty date of the month; built from the dates the calendar gives."""

    def __init__(
        self,
        *args,
        days: list[date],
        initial_values: dict,
        disabled: bool = False,
        shift_types=(),
        shift_wishes: dict | None = None,
        wishes_disabled: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.days = days
        self.shift_types = list(shift_types)
        for kind in self.shift_types:
            # Issue 26: a shift kind one would like, or would rather not, work this month.
            self.fields[f"shiftwish_{kind.id}"] = forms.ChoiceField(
                label=kind.name,
                choices=SHIFT_WISH_CHOICES,
                required=False,
                initial=(shift_wishes or {}).get(kind.id, ""),
                disabled=disabled or wishes_disabled,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        for day in days:
            kind, note = initial_values.get(day, ("", ""))
            self.fields[f"kind_{day:%Y%m%d}"] = forms.ChoiceField(
                label=f"{day:%m-%d}",
                choices=AVAILABILITY_CHOICES,
                required=False,
                initial=kind,
                disabled=disabled,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"note_{day:%Y%m%d}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=100,
                initial=note,
                disabled=disabled,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def rows(self):
        for day in self.days:
            yield day, self[f"kind_{day:%Y%m%d}"], self[f"note_{day:%Y%m%d}"]

    def shift_wish_rows(self):
        for kind in self.shift_types:
            yield kind, self[f"shiftwish_{kind.id}"]

    def shift_wishes(self) -> dict[int, str]:
        return {kind.id: self.cleaned_data[f"shiftwish_{kind.id}"] for kind in self.shift_types}

    def entries(self) -> dict[date, tuple[str, str]]:
        return {
            day: (self.cleaned_data[f"kind_{day:%Y%m%d}"], self.cleaned_data[f"note_{day:%Y%m%d}"].strip())
            for day in self.days
        }

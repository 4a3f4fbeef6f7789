"""Input validation and crispy layouts for leave and swap requests. Choices are built from what the person may
pick, so a forged id is an invalid choice; the services check everything again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leave import kinds


def shift_label(shift) -> str:
    return (
        f"{shift.date:%m-%d} {shift.shift_type.name} {timezone.localtime(shift.starts_at):%H:%M}–"
        f"{shift.shift_type.end_label}"
    )


class OutlineSubmit(Submit):
    """A secondary submit button. crispy's Submit always carries btn-primary, and a css_class of
    btn-outline-primary on top of it paints blue text on a blue background (issue #13 point 1)."""

    field_classes = "btn btn-outline-primary"


def _helper(label, testid: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label, data_testid=testid))
    return helper


class LeaveForm(forms.Form):
    shifts = forms.TypedMultipleChoiceField(label=_("Shifts"), coerce=int, widget=forms.CheckboxSelectMultiple)
    kind = forms.ChoiceField(label=_("Type of leave"), choices=kinds.choices)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    proposed_substitute = forms.TypedChoiceField(
        label=_("Proposed substitute (optional)"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, shifts, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shifts"].choices = [(s.pk, shift_label(s)) for s in shifts]
        self.fields["proposed_substitute"].choices = [("", "—")] + [(p.pk, p.name) for p in colleagues]
        self.helper = _helper(_("Submit request"), "leave-submit")


class EmergencyCallForm(forms.Form):
    profile = forms.TypedChoiceField(label=_("Who phoned"), coerce=int)
    duty_shift = forms.TypedChoiceField(label=_("Shift"), coerce=int)
    called_at = forms.DateTimeField(
        label=_("Time of the call"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    said = forms.CharField(label=_("What was said"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, shifts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [(p.pk, p.name) for p in people]
        self.fields["duty_shift"].choices = [(s.pk, shift_label(s)) for s in shifts]
        self.helper = _helper(_("Record the call"), "call-submit")


class GiveShiftForm(forms.Form):
    give = forms.TypedChoiceField(label=_("My shift to swap"), coerce=int)

    def __init__(self, *args, shifts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["give"].choices = [(s.pk, shift_label(s)) for s in shifts]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(OutlineSubmit("choose", _("Show colleagues"), data_testid="swap-choose"))


class SwapForm(forms.Form):
    give = forms.IntegerField(widget=forms.HiddenInput)
    option = forms.ChoiceField(label=_("Swap with"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(option_value(o), option_label(o)) for o in options]
        self.helper = _helper(_("Propose the swap"), "swap-submit")

    def choice(self) -> tuple[int, int | None]:
        colleague, take = self.cleaned_data["option"].split(":")
        return int(colleague), (int(take) or None)


def option_value(option) -> str:
    return f"{option.colleague.pk}:{option.take.pk if option.take else 0}"


def option_label(option) -> str:
    if option.take is None:
        return _("%(name)s takes my shift (free that day)") % {"name": option.colleague.name}
    return _("%(name)s: I take their %(shift)s") % {"name": option.colleague.name, "shift": shift_label(option.take)}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class FinalApprovalForm(forms.Form):
    """The supervisor confirms a substitute per shift (R-LEAVE-4), chosen among the ranked suggestions."""

    note = forms.CharField(label=_("Note (optional)"), max_length=1000, required=False)

    def __init__(self, *args, item, staff, **kwargs):
        super().__init__(*args, **kwargs)
        proposed = item.leave.proposed_substitute_id
        for row in item.shifts:
            suggested = [s.agent_id for s in row.suggestions]
            choices = [("", _("No substitute: the shift stays under-covered"))] + [
                (s.agent_id, _("%(name)s (%(count)s shifts this month)") % {"name": s.name, "count": s.duty_this_month})
                for s in row.suggestions
            ]
            # Anyone else of the team may still be chosen; the approval then says which rule it would break.
            others = [(p.pk, p.name) for p in staff if p.pk not in suggested and p.pk != item.leave.profile_id]
            if others:
                choices.append((_("Not suggested"), others))
            self.fields[f"substitute_{row.shift.pk}"] = forms.TypedChoiceField(
                label=_("Substitute for %(shift)s") % {"shift": shift_label(row.shift)},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=proposed if proposed in suggested else (suggested[0] if suggested else ""),
            )

    def substitutes(self) -> dict[int, int | None]:
        return {
            int(name.removeprefix("substitute_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("substitute_")
        }

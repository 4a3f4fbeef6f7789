"""Input validation of the people pages; the rules that need the database are checked by the services."""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.limits import NOTE, TEXT
from dutydesk.models import ProtectionKind, Role, Skill
from people import rules
from people.models import Attendance, CheckResult, SupportContact, TrainingKind

DUTY_ROLE_CHOICES = [(Role.AGENT.value, Role.AGENT.label), (Role.LEAD.value, Role.LEAD.label)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _phone_field(label, required=False):
    return forms.CharField(
        label=label,
        max_length=30,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


def clean_phone(value: str) -> str:
    if not value:
        return ""
    phone = rules.normalise_phone(value)
    if phone is None:
        raise forms.ValidationError(_("%(value)s is not a phone number.") % {"value": value})
    return phone


class PersonForm(forms.Form):
    """Add or change a member. No password field: the person sets it through the activation link."""

    name = forms.CharField(label=_("Name"), max_length=40)
    employee_number = forms.RegexField(
        label=_("Employee number"),
        max_length=32,
        regex=r"^[A-Za-z0-9_.\-]+$",
        help_text=_("As HR knows the person; it is also the login name."),
        error_messages={"invalid": _("Letters, digits, dots, dashes and underscores only.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=DUTY_ROLE_CHOICES, initial=Role.AGENT)
    new_hire = forms.BooleanField(label=_("New hire (shadows before working alone)"), required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"), queryset=Skill.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hire_date = forms.DateField(label=_("Hire date"), required=False, widget=DateInput())
    phone = _phone_field(_("Phone"))
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=_("The activation link is sent here."))
    wecom_id = forms.CharField(label=_("WeCom user id"), max_length=64, required=False)
    dingtalk_id = forms.CharField(label=_("DingTalk user id"), max_length=64, required=False)
    feishu_id = forms.CharField(label=_("Feishu user id"), max_length=64, required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, editing: bool = False, role_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["new_hire"]
        if role_fixed:
            del self.fields["role"]

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_email(self):
        return self.cleaned_data["email"].lower()


class MoveForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Move to team"), queryset=None, empty_label=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class LeaveForm(forms.Form):
    left_on = forms.DateField(
        label=_("Leaves on"),
        widget=DateInput(),
        help_text=_("From this date the person is not on duty and the account closes."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("HR file (Excel .xlsx or CSV)"))


class ConfirmImportForm(forms.Form):
    """The click on "import" after the preview: the file by its checksum, and R-ROSTER-6's choice for the new people
    the file gives no qualification for (each ticked in the preview's rows, or all of them at once)."""

    checksum = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    all_qualified = forms.BooleanField(required=False)

    def __init__(self, *args, undecided: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["all_qualified"].label = _(
            "All %(count)d new people without a qualification in the file already work alone"
        ) % {"count": undecided}

    def clean(self):
        cleaned = super().clean()
        numbers = self.data.getlist("qualified") if hasattr(self.data, "getlist") else []
        if any(not re.fullmatch(r"[A-Za-z0-9_.\-]{1,32}", n) for n in numbers):
            raise forms.ValidationError(_("The marked people are not readable; check the file again."))
        cleaned["qualified"] = set(numbers)
        return cleaned


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Display name"), max_length=60)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Optional; made from the name if left empty. It cannot change later."),
    )


class RenameSkillForm(forms.Form):
    name = forms.CharField(label=_("Display name"), max_length=60)


class CheckForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("Date of the check"), widget=DateInput())
    examiner = forms.ModelChoiceField(label=_("Examiner"), queryset=None, empty_label=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, examiners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["examiner"].queryset = examiners


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    provider = forms.CharField(label=_("Provider (external training)"), max_length=120, required=False)
    trainer = forms.CharField(label=_("Trainer"), max_length=60)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=pgettext_lazy("time range", "From"), widget=TimeInput())
    end = forms.TimeField(label=pgettext_lazy("time range", "To"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    link = forms.URLField(label=_("Online link"), max_length=300, required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    invitees = forms.ModelMultipleChoiceField(
        label=_("Invited people"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = people
        self.fields["invitees"].label_from_instance = _invitee_label

    def clean(self):
        data = super().clean()
        if data.get("kind") == TrainingKind.EXTERNAL and not data.get("provider"):
            self.add_error("provider", _("Name the provider of an external training."))
        if not data.get("place") and not data.get("link"):
            self.add_error("place", _("Give a place or an online link."))
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The session must end after it starts."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        return {
            "topic": data["topic"],
            "kind": data["kind"],
            "provider": data["provider"],
            "trainer": data["trainer"],
            "starts_at": datetime.combine(data["day"], data["start"], tzinfo=zone),
            "ends_at": datetime.combine(data["day"], data["end"], tzinfo=zone),
            "place": data["place"],
            "link": data["link"],
            "description": data["description"],
        }

    @staticmethod
    def initial_of(session) -> dict:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "topic": session.topic,
            "kind": session.kind,
            "provider": session.provider,
            "trainer": session.trainer,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "place": session.place,
            "link": session.link,
            "description": session.description,
            "invitees": list(session.invitations.values_list("profile_id", flat=True)),
        }


def _invitee_label(profile) -> str:
    label = f"{profile.name} · {profile.get_role_display()}"
    if getattr(profile, "open_rewards", 0):
        label += " · " + str(_("training reward to use"))
    return label


class AttendanceForm(forms.Form):
    """One choice per invitee; keyboard: the radios of a row are one tab stop, arrows choose."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            self.fields[f"p{invitation.profile_id}"] = forms.ChoiceField(
                label=invitation.profile.name,
                choices=Attendance.choices,
                initial=invitation.attendance,
                widget=forms.RadioSelect(attrs={"class": "attendance"}),
            )

    def marks(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class SupportContactForm(forms.ModelForm):
    class Meta:
        model = SupportContact
        fields = ["kind", "name", "contact", "phone", "wecom_id", "dingtalk_id", "feishu_id", "hours", "note", "order"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        # A phone typed wrong is said once, on the field; only a line with no way at all to reach it is refused here.
        if "phone" not in self.errors and not any(
            data.get(name) for name in ("phone", "wecom_id", "dingtalk_id", "feishu_id")
        ):
            raise forms.ValidationError(_("Give a phone number or a WeCom, DingTalk or Feishu id."))
        return data

    def validate_unique(self):
        # The service reports a duplicate name in words the supervisor understands (and under a lock).
        pass


class RewardForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ProtectionForm(forms.Form):
    """A protection period (R-LAW-4): its kind and dates only; no medical detail is asked or kept."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ProtectionKind.choices)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise forms.ValidationError(_("The protection period ends before it starts; nothing was saved."))
        return data

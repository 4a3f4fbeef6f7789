"""Input validation of the duty-day pages; the rules themselves are checked by the services."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from dutydesk.limits import LIST, LONG, NOTE, TEXT
from logbook import rules
from logbook.models import Accuracy, Category, DisciplineKind, EntryKind, EntryStatus, TaskType

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def _text(label, rows=2, required=False, max_length=NOTE, **attrs):
    # max_length as in the model (dutydesk.limits): longer text is refused with the count, before the database.
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows, **attrs})
    )


class EntryForm(forms.Form):
    """The fast entry form (R-LOG-1..3): Tab walks the fields in order, Ctrl+Enter saves (logbook.js)."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=EntryKind.choices,
        initial=EntryKind.INQUIRY,
        widget=forms.RadioSelect(attrs={"class": "entry-kind"}),
    )
    task_type = forms.ChoiceField(
        label=_("Business task"), required=False, choices=[("", "---------"), *TaskType.choices]
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, initial=Category.OTHER)
    customer_name = forms.CharField(label=_("Customer"), max_length=40, required=False)
    customer_phone = forms.CharField(
        label=_("Customer phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    customer_ref = forms.CharField(
        label=_("Order or customer id"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # No autofocus: on the duty page it would scroll past sign-in and the open items (issue #13 point 13);
    # logbook.js focuses it when the page comes back to the form after an entry was saved.
    content = _text(_("Content"), rows=3, required=True, max_length=TEXT)
    outcome = _text(_("Outcome"), max_length=TEXT)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=EntryStatus.choices,
        initial=EntryStatus.DONE,
        widget=forms.RadioSelect(attrs={"class": "entry-status"}),
    )
    promised_reply_at = forms.DateTimeField(
        label=_("Promised reply by"), required=False, input_formats=[DATETIME_LOCAL], widget=DateTimeLocalInput()
    )
    demand = _text(_("Customer's demand"))
    departments = forms.CharField(label=_("Departments involved"), max_length=200, required=False)
    progress = _text(_("Progress notes"), max_length=LONG)
    result_told = _text(_("Result told to the customer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "client_token" not in self.initial:
            # One token per rendered form: submitting it twice finds the first entry (idempotent submit).
            self.initial["client_token"] = uuid.uuid4()


class LateExplanationForm(forms.Form):
    explanation = _text(_("Reason for being late"), rows=2, required=True)


class EquipmentForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Equipment checked"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, equipment=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(item, item) for item in equipment]


class EquipmentItemsForm(forms.Form):
    """The team's checklist, one item per line: adding, renaming, reordering and removing are all plain typing.
    Blank lines are dropped; the service checks names, duplicates and the length of the list."""

    items = forms.CharField(
        label=_("Checklist items, one per line, in the order agents see them"),
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 8, "autofocus": True}),
    )

    def clean_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class LeavePostForm(forms.Form):
    reason = forms.CharField(label=_("Reason for leaving the post"), max_length=200)


class SignOutForm(forms.Form):
    early_leave_reason = forms.CharField(
        label=_("Reason for leaving early"), required=False, max_length=NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandoverForm(forms.Form):
    open_items = _text(_("Unfinished issues"), rows=5, max_length=LIST)
    important = _text(_("Important information"), rows=3, max_length=TEXT)
    notes = _text(_("Notes"), rows=2, max_length=TEXT)
    # The fingerprint of the saved text this form was rendered with (services.handover_digest).
    based_on = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def is_complete(self) -> bool:
        """Whether the POST carried the text fields at all: a bare "sign" must not blank the saved text."""
        return all(name in self.data for name in ("open_items", "important", "notes"))

    def text(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("open_items", "important", "notes")}


class SummaryForm(forms.Form):
    hot_issues = _text(_("Hot issues"), rows=3, max_length=TEXT)
    suggestions = _text(_("Suggestions"), rows=3, max_length=TEXT)


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = _text(_("What happened, how many customers, what is needed"), rows=4, required=True, max_length=LONG)


class AnswerForm(forms.Form):
    answer = _text(_("Reply given"), rows=2, required=True, max_length=TEXT)
    result_told = _text(_("Result told to the customer"), rows=1)


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Progress note"), max_length=500)


class ReviewForm(forms.Form):
    accuracy = forms.ChoiceField(label=_("Record accuracy"), choices=Accuracy.choices, widget=forms.RadioSelect)
    note = _text(_("Review note"), rows=2)


class DisciplineForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Person"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k.value, k.label)
            for k in (
                DisciplineKind.UNAPPROVED_SWAP,
                DisciplineKind.DEMERIT,
                DisciplineKind.LATE,
                DisciplineKind.EARLY_LEAVE,
            )
        ],
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = _text(_("What happened"), rows=2, required=True)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = people


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search logbooks"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "autofocus": True, "placeholder": _("e.g. refund progress or an order number")}
        ),
    )

    def clean_q(self):
        from logbook.queries import searchable

        text = self.cleaned_data["q"]
        if text and not searchable(text):
            # R-LOG-7: the search looks text up by its characters; punctuation alone names nothing to find.
            raise forms.ValidationError(_("Type at least one Chinese character, letter or digit."))
        return text


class RevealForm(forms.Form):
    """R-PIPL-2: the reason typed at the moment of a reveal."""

    reason = forms.CharField(
        label=_("Why do you need it in full?"),
        min_length=2,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. call the customer back")}),
    )


class RetentionForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days kept after the logbook is closed"),
        min_value=rules.MIN_RETENTION_DAYS,
        max_value=rules.MAX_RETENTION_DAYS,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

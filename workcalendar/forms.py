"""The calendar page's forms: one day, marking a year official, importing the notice, confirming the import."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workcalendar.models import NAME_LENGTH, TITLE_LENGTH, DayKind


class DateInput(forms.DateInput):
    input_type = "date"


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=pgettext_lazy("a holiday's", "Name"), max_length=NAME_LENGTH, required=False)
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)


class RemoveDayForm(forms.Form):
    stamp = forms.CharField(required=False)


class SourceForm(forms.Form):
    source_title = forms.CharField(
        label=_("Notice title"),
        max_length=TITLE_LENGTH,
        help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知"),
    )
    source_date = forms.DateField(label=_("Notice date"), widget=DateInput)


class OfficialForm(SourceForm):
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)


class ImportForm(SourceForm):
    file = forms.FileField(label=_("File (CSV or JSON, UTF-8)"))


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

from django import forms
from django.utils.translation import gettext_lazy as _

from dutydesk.spreadsheets import MAX_UPLOAD_BYTES
from forecast.models import ServiceTarget


class TargetForm(forms.ModelForm):
    class Meta:
        model = ServiceTarget
        fields = ["answered_pct", "answer_seconds", "handling_seconds"]
        widgets = {
            "answered_pct": forms.NumberInput(attrs={"min": 1, "max": 99}),
            "answer_seconds": forms.NumberInput(attrs={"min": 1, "max": 600}),
            "handling_seconds": forms.NumberInput(attrs={"min": 10, "max": 7200}),
        }

    def clean(self):
        data = super().clean()
        # The database refuses these too (ServiceTarget's checks); here they get a message beside the field.
        for name, low, high in (("answered_pct", 1, 99), ("answer_seconds", 1, 600), ("handling_seconds", 10, 7200)):
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(name, _("Between %(low)d and %(high)d.") % {"low": low, "high": high})
        return data


class VolumeUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Volume file (CSV or Excel)"),
        help_text=_("Columns: date, hour (0-23), contacts, average handling seconds; one row per date and hour."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB; split it.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload

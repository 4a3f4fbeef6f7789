"""Input validation for the preferences and team robot pages."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from dutydesk.notifications import rules, webhooks
from dutydesk.notifications.models import Channel, NoticeKind, Platform

PREFERENCE_KINDS = [kind for kind in NoticeKind if kind not in rules.IN_APP_ONLY]


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per kind of notice and optional channel; in-app is always on and not a field."""

    def __init__(self, *args, choices: dict[str, dict[str, bool]], platforms=(), platform: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if len(platforms) > 1:
            # The company runs several chat apps: the person says which one carries their personal messages.
            self.fields["platform"] = forms.ChoiceField(
                label=_("Personal messages through"),
                required=False,
                initial=platform,
                choices=[("", _("The first of my accounts"))] + [(p, Platform(p).label) for p in platforms],
            )
        for kind in PREFERENCE_KINDS:
            on = rules.channels_for(kind, choices.get(kind, {}))
            for channel in rules.OPTIONAL_CHANNELS:
                self.fields[field_name(kind, channel)] = forms.BooleanField(
                    required=False,
                    initial=channel in on,
                    label=f"{kind.label} · {Channel(channel).label}",
                )

    def rows(self):
        """(kind label, [bound field per optional channel]) for the table."""
        return [(kind.label, [self[field_name(kind, c)] for c in rules.OPTIONAL_CHANNELS]) for kind in PREFERENCE_KINDS]

    def enabled(self) -> dict[tuple[str, str], bool]:
        return {
            (str(kind), str(channel)): self.cleaned_data[field_name(kind, channel)]
            for kind in PREFERENCE_KINDS
            for channel in rules.OPTIONAL_CHANNELS
        }


class TeamSettingsForm(forms.Form):
    reminder_hours = forms.CharField(
        label=_("Reminders, hours before sign-in"),
        max_length=40,
        help_text=_("Comma-separated whole hours, at most 4, e.g. 24, 1."),
    )
    signin_minutes = forms.IntegerField(
        label=_("Sign-in minutes before the shift"),
        min_value=0,
        max_value=120,
        # R-ATT-1
        help_text=_("The discipline rules ask for 15 minutes."),
    )
    webhook_platform = forms.ChoiceField(
        label=_("Chat platform"), required=False, choices=[("", _("None"))] + list(Platform.choices)
    )
    webhook_url = forms.URLField(
        label=_("Robot webhook address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("The address the group robot shows, e.g. https://oapi.dingtalk.com/robot/send?access_token=..."),
    )
    webhook_secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("For signed DingTalk and Feishu robots. Leave empty to keep the saved secret."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reminder_hours(self) -> list[int]:
        raw = self.cleaned_data["reminder_hours"].replace("，", ",")
        try:
            hours = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
        except ValueError:
            raise forms.ValidationError(_("Enter whole hours separated by commas, e.g. 24, 1.")) from None
        if not hours or len(hours) > 4 or any(h < 1 or h > 168 for h in hours):
            raise forms.ValidationError(_("Give one to four lead times between 1 and 168 hours."))
        return hours

    def clean(self):
        data = super().clean()
        url, platform = data.get("webhook_url"), data.get("webhook_platform")
        if url:
            if not platform:
                self.add_error("webhook_platform", _("Choose the platform of this robot."))
            else:
                # Only the platform's own robot address: the server must not post notices anywhere else.
                if not webhooks.robot_address_allowed(platform, url):
                    self.add_error(
                        "webhook_url",
                        _("This is not a %(platform)s robot address (https://%(host)s/...).")
                        % {"platform": Platform(platform).label, "host": webhooks.allowed_hosts(platform)[0]},
                    )
        return data

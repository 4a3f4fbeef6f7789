"""notify(): the one way any part of dutydesk tells people something; and the writes of the notifications pages.

A notice is always recorded in the app (the bell). The outside channels each person chose for its kind (email, the
team chat) get rows in the outbox, in the same transaction, sent afterwards by Celery (sending.py).
"""

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dutydesk.audit.services import record
from dutydesk.models import Profile
from dutydesk.notifications import rules
from dutydesk.notifications.enqueue import enqueue_senders
from dutydesk.notifications.models import (
    Channel,
    ChannelPreference,
    NoticeKind,
    Notification,
    Outbox,
    OutboxStatus,
    TeamNotificationSettings,
)


class NotificationError(Exception):
    """A user action that cannot be done; the message is translated and shown as is."""


def notify(
    recipients: Iterable, *, kind: NoticeKind, subject: str, body: str = "", url: str = "", dedupe_key: str
) -> int:
    """Record a notice for each recipient (Profile) once per `dedupe_key`; return how many were new.

    Call it inside the transaction of the change it reports: the notice exists if and only if the change does.
    Side effects: one in-app Notification per recipient; outbox rows for the email and team-chat channels the
    recipients chose for `kind` (one team-chat message per team, not per person); after commit, senders queued.
    Phone numbers, id numbers and email addresses in subject and body are masked (R-LOG-4).
    """
    profiles = list({p.pk: p for p in recipients}.values())
    if not profiles:
        return 0
    subject, body = rules.mask_sensitive(subject)[:200], rules.mask_sensitive(body)
    with transaction.atomic():
        existing = Notification.objects.filter(recipient__in=profiles, dedupe_key=dedupe_key).count()
        Notification.objects.bulk_create(
            [
                Notification(recipient=p, kind=kind, subject=subject, body=body, url=url, dedupe_key=dedupe_key)
                for p in profiles
            ],
            ignore_conflicts=True,
        )
        created = Notification.objects.filter(recipient__in=profiles, dedupe_key=dedupe_key).count() - existing
        queue_outside(profiles, kind=kind, key=dedupe_key, subject=subject, body=body, url=url)
    return created


@transaction.atomic
def notify_each(
    texts: dict[Profile, tuple[str, str]],
    *,
    kind: NoticeKind,
    dedupe_key: str,
    outbox_key: str,
    chat_text: tuple[str, str],
    lead_minutes: int = 0,
    duty_shift_id: int | None = None,
    url: str = "",
) -> int:
    """Like notify(), for a notice whose text differs by recipient (a shift reminder names the others on duty).

    `texts` gives each recipient's (subject, body) for the bell and for email; `chat_text` is the one message a
    team's chat robot posts for all of them. In-app notices are unique per (recipient, `dedupe_key`); outbox rows
    per (recipient or team, `outbox_key`, channel, `lead_minutes`), so calling twice queues nothing twice.
    Everything is masked (R-LOG-4). Returns the number of recipients offered; senders are queued on commit.
    """
    texts = {
        p: (rules.mask_sensitive(subject)[:200], rules.mask_sensitive(body)) for p, (subject, body) in texts.items()
    }
    Notification.objects.bulk_create(
        [
            Notification(recipient=p, kind=kind, subject=subject, body=body, url=url, dedupe_key=dedupe_key)
            for p, (subject, body) in texts.items()
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    chat_subject, chat_body = rules.mask_sensitive(chat_text[0])[:200], rules.mask_sensitive(chat_text[1])
    queue_outside(
        list(texts),
        kind=kind,
        key=outbox_key,
        subject=chat_subject,
        body=chat_body,
        url=url,
        lead_minutes=lead_minutes,
        duty_shift_id=duty_shift_id,
        person_text={p.pk: text for p, text in texts.items()},
    )
    return len(texts)


def channel_choices(profile_ids: Iterable[int], kind: str) -> dict[int, dict[str, bool]]:
    """Saved choices {profile id: {channel: enabled}} for one kind (defaults are applied by rules.channels_for)."""
    choices: dict[int, dict[str, bool]] = defaultdict(dict)
    for profile_id, channel, enabled in ChannelPreference.objects.filter(
        profile_id__in=list(profile_ids), kind=kind
    ).values_list("profile_id", "channel", "enabled"):
        choices[profile_id][channel] = enabled
    return choices


def queue_outside(
    profiles: list[Profile],
    *,
    kind: str,
    key: str,
    subject: str,
    body: str,
    url: str = "",
    lead_minutes: int = 0,
    duty_shift_id: int | None = None,
    person_text: dict[int, tuple[str, str]] | None = None,
) -> int:
    """Insert outbox rows for the outside channels of `profiles` (INSERT ... ON CONFLICT DO NOTHING on the unique
    key, so calling twice queues nothing twice). `person_text` may give a person's email its own (subject, body),
    by profile id; otherwise, and for the team chat, it is `subject`/`body`. Returns the number of rows offered;
    senders are queued on commit."""
    choices = channel_choices((p.pk for p in profiles), kind)
    wanted = {p.pk: rules.channels_for(kind, choices.get(p.pk, {})) for p in profiles}
    emails = dict(
        User.objects.filter(profile__in=[p.pk for p in profiles if Channel.EMAIL in wanted[p.pk]])
        .exclude(email="")
        .values_list("profile__id", "email")
    )
    rows = []
    for p in profiles:
        if p.pk in emails:
            person_subject, person_body = (person_text or {}).get(p.pk, (subject, body))
            rows.append(
                Outbox(
                    recipient_id=p.pk,
                    team_id=p.team_id,
                    key=key,
                    channel=Channel.EMAIL,
                    lead_minutes=lead_minutes,
                    duty_shift_id=duty_shift_id,
                    kind=kind,
                    subject=person_subject,
                    body=person_body,
                    url=url,
                )
            )
    chat_teams = {p.team_id for p in profiles if p.team_id and Channel.WEBHOOK in wanted[p.pk]}
    with_robot = TeamNotificationSettings.objects.filter(team_id__in=chat_teams).exclude(webhook_url="")
    for team_id in with_robot.values_list("team_id", flat=True):
        rows.append(
            Outbox(
                team_id=team_id,
                key=key,
                channel=Channel.WEBHOOK,
                lead_minutes=lead_minutes,
                duty_shift_id=duty_shift_id,
                kind=kind,
                subject=subject,
                body=body,
                url=url,
            )
        )
    if rows:
        Outbox.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        transaction.on_commit(lambda: enqueue_senders(count=len(rows)), robust=True)
    return len(rows)


# --- The bell -------------------------------------------------------------------------------------------------


def mark_read(*, reader: Profile, notification_id: int | None = None) -> int:
    """Mark one of the reader's notices (or all of them, with no id) read; returns how many changed."""
    notices = Notification.objects.filter(recipient=reader, read_at__isnull=True)
    if notification_id is not None:
        notices = notices.filter(pk=notification_id)
    return notices.update(read_at=timezone.now())


# --- Preferences and team settings -----------------------------------------------------------------------------


@transaction.atomic
def set_channel_preferences(*, profile: Profile, enabled: dict[tuple[str, str], bool]) -> None:
    """Save a person's choice per (kind, channel) for the optional channels; in-app stays on."""
    for (kind, channel), on in enabled.items():
        if kind in rules.IN_APP_ONLY or channel not in rules.OPTIONAL_CHANNELS:
            continue
        ChannelPreference.objects.update_or_create(
            profile=profile, kind=kind, channel=channel, defaults={"enabled": on}
        )


def settings_for(team) -> TeamNotificationSettings:
    return TeamNotificationSettings.objects.get_or_create(team=team)[0]


@transaction.atomic
def update_team_settings(
    *,
    team,
    editor: Profile,
    reminder_leads: list[int],
    signin_minutes: int,
    webhook_platform: str,
    webhook_url: str,
    webhook_secret: str | None,
) -> None:
    """Save a team's reminder lead times (minutes) and robot; a secret of None keeps the saved one."""
    current = TeamNotificationSettings.objects.select_for_update().get_or_create(team=team)[0]
    before = _settings_shown(current)
    current.reminder_leads = sorted(set(reminder_leads), reverse=True)
    current.signin_minutes = signin_minutes
    current.webhook_platform = webhook_platform if webhook_url else ""
    current.webhook_url = webhook_url
    if webhook_secret is not None or not webhook_url:
        current.webhook_secret = webhook_secret or ""
    current.save()
    record("notifications.team_settings", actor=editor, target=current, before=before, after=_settings_shown(current))


def _settings_shown(row: TeamNotificationSettings) -> dict:
    """What the audit trail keeps of a team's notice settings: the robot's host, never its address's token or the
    signing secret (whether one is set is enough)."""
    return {
        "reminder_leads": list(row.reminder_leads),
        "signin_minutes": row.signin_minutes,
        "webhook_platform": row.webhook_platform,
        "webhook_url": urlsplit(row.webhook_url).netloc if row.webhook_url else "",
        "webhook_secret": bool(row.webhook_secret),
    }


# --- Failed sends --------------------------------------------------------------------------------------------


def resend(*, outbox_id: int, team, actor: Profile) -> None:
    """A supervisor sends a failed message again: the same row (same unique key), so still one delivery."""
    with transaction.atomic():
        row = Outbox.objects.select_for_update().filter(pk=outbox_id, team=team).first()
        if row is None or row.status != OutboxStatus.FAILED:
            # Somebody else was faster (or the message went out meanwhile): nothing to do.
            raise NotificationError("not failed")
        now = timezone.now()
        row.status, row.attempts, row.next_attempt_at = OutboxStatus.PENDING, 0, now
        row.resent_by, row.resent_at = actor.user, now
        row.save(update_fields=["status", "attempts", "next_attempt_at", "resent_by", "resent_at"])
        record("notifications.resend", actor=actor, target=row, team=team, label=rules.mask_sensitive(row.subject))
        transaction.on_commit(lambda: enqueue_senders(count=1), robust=True)

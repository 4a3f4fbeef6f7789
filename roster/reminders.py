"""Shift reminders, computed every minute from the roster as it is (queries.published_assignments()).

Registered with the notifications app in RosterConfig.ready() (dutydesk.notifications.reminders), which runs
`schedule_reminders` from its beat job and asks `stale_reminders` just before sending.

Nothing is scheduled in advance: each run looks at the published version in force, so a leave, swap or revision
(a new published version) moves or cancels reminders by itself, and a shift added late still gets the reminders
whose time has come. Each reminder is a notice under a unique key (recipient, "reminder:<duty shift>:<lead>") and
outbox rows under (recipient or team, "reminder:<duty shift>", channel, lead), inserted with ON CONFLICT DO
NOTHING: a second run in the same minute (beat twice, two beats) adds nothing.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dutydesk.notifications import rules as notice_rules
from dutydesk.notifications.models import NoticeKind, TeamNotificationSettings
from dutydesk.notifications.queries import already_notified
from dutydesk.notifications.services import notify_each
from dutydesk.texts import listed
from roster.models import AssignmentRole, DutyShift
from roster.queries import published_assignments

# --- Hook for the logbook: the open items waiting for a shift (R-ATT-1: read the open items left by earlier
# shifts). A provider takes a list of duty shift ids and returns {duty shift id: [short text, ...]}; texts are
# masked before sending (R-LOG-4). Until the logbook registers one, reminders say there is nothing open.
_open_items_providers: list[Callable[[list[int]], dict[int, list[str]]]] = []


def register_open_items_provider(provider: Callable[[list[int]], dict[int, list[str]]]) -> None:
    """Called by the logbook app in its AppConfig.ready()."""
    if provider not in _open_items_providers:
        _open_items_providers.append(provider)


def open_items_for(duty_shift_ids: list[int]) -> dict[int, list[str]]:
    items: dict[int, list[str]] = defaultdict(list)
    for provider in _open_items_providers:
        for shift_id, texts in provider(duty_shift_ids).items():
            items[shift_id].extend(texts)
    return items


# The A role first (R-ROSTER-7), shadows last (R-ROSTER-6).
ROLE_ORDER = {"primary": 0, "member": 1, "backup": 2, "shadow": 3}


def reminder_key(duty_shift_id: int) -> str:
    return f"reminder:{duty_shift_id}"


def _shift_line(shift) -> str:
    starts = timezone.localtime(shift.starts_at)
    return _("Duty reminder: %(date)s %(shift)s %(start)s-%(end)s") % {
        "date": f"{starts:%Y-%m-%d}",
        "shift": shift.shift_type.name,
        "start": f"{starts:%H:%M}",
        "end": shift.shift_type.end_label,
    }


def _open_items_text(items: list[str]) -> str:
    if not items:
        return _("No open items waiting.")
    return _("Open items waiting (%(count)d):") % {"count": len(items)} + "\n" + "\n".join(f"- {i}" for i in items)


def _person_texts(todo, holders, items, signin, subject) -> dict:
    """{profile: (subject, body)} for the people of one shift; the shared lines are built once."""
    signin_line = _("Sign in by %(time)s.") % {"time": f"{timezone.localtime(signin):%H:%M}"}
    items_text = _open_items_text(items)
    roles = {role: _("Your role: %(role)s") % {"role": label} for role, label in AssignmentRole.choices}
    names = [(a.profile_id, a.profile.name) for a in holders]
    alone = _("You are the only one on this shift.")
    texts = {}
    for assignment in todo:
        others = [name for pid, name in names if pid != assignment.profile_id]
        with_line = _("On duty with you: %(names)s") % {"names": listed(others)} if others else alone
        body = "\n".join([signin_line, roles[assignment.role], with_line, items_text])
        texts[assignment.profile] = (subject, body)
    return texts


def _team_text(shift, holders, items, signin) -> tuple[str, str]:
    lines = [
        _("Sign in by %(time)s.") % {"time": f"{timezone.localtime(signin):%H:%M}"},
        _("On duty: %(names)s")
        % {
            "names": listed(
                _("%(name)s (%(role)s)") % {"name": a.profile.name, "role": a.get_role_display()} for a in holders
            )
        },
        _open_items_text(items),
    ]
    return _shift_line(shift), "\n".join(lines)


def schedule_reminders(now: datetime | None = None) -> int:
    """Queue the shift reminders due at `now`: in-app notices and outbox rows. Returns how many (person, shift,
    lead) reminders were new. Safe to run any number of times."""
    now = now or timezone.now()
    default = TeamNotificationSettings()
    team_settings = {s.team_id: s for s in TeamNotificationSettings.objects.all()}
    horizon = max(
        (notice_rules.reminder_horizon(s.reminder_leads, s.signin_minutes) for s in [default, *team_settings.values()])
    )
    assignments = list(
        published_assignments()
        .filter(duty_shift__starts_at__gt=now, duty_shift__starts_at__lte=now + horizon)
        .order_by("duty_shift__starts_at")
    )
    by_shift = defaultdict(list)
    for assignment in sorted(assignments, key=lambda a: (ROLE_ORDER.get(a.role, 9), a.profile.name)):
        by_shift[assignment.duty_shift_id].append(assignment)

    due: dict[tuple[int, int], list] = defaultdict(list)  # (duty shift, lead) -> assignments
    for assignment in assignments:
        shift = assignment.duty_shift
        team = team_settings.get(shift.team_id, default)
        lead = notice_rules.due_lead(
            starts_at=shift.starts_at, now=now, leads=team.reminder_leads, signin_minutes=team.signin_minutes
        )
        if lead is not None:
            due[(shift.id, lead)].append(assignment)
    if not due:
        return 0

    # Skip what earlier runs queued (one query), so a run every minute stays cheap; the unique keys still
    # decide when two runs overlap.
    done = already_notified(
        {a.profile_id for group in due.values() for a in group}, {f"{reminder_key(s)}:{lead}" for s, lead in due}
    )
    items = open_items_for(sorted({s for s, _lead in due}))
    new = 0
    with translation.override(settings.LANGUAGE_CODE):
        for (shift_id, lead), group in due.items():
            todo = [a for a in group if (a.profile_id, f"{reminder_key(shift_id)}:{lead}") not in done]
            if todo:
                settings_of_team = team_settings.get(todo[0].duty_shift.team_id, default)
                new += _queue_shift(
                    todo,
                    holders=by_shift[shift_id],
                    items=items.get(shift_id, []),
                    signin_minutes=settings_of_team.signin_minutes,
                    lead=lead,
                )
    return new


def _queue_shift(todo, *, holders, items, signin_minutes, lead) -> int:
    """One shift's reminders for one lead time, in one transaction (notify_each): senders start on its commit.
    Email: one per person with the person's own text; the team chat: one message naming everyone."""
    shift = todo[0].duty_shift
    signin = notice_rules.signin_at(shift.starts_at, signin_minutes)
    items = [notice_rules.mask_sensitive(i) for i in items]
    texts = _person_texts(todo, holders, items, signin, _shift_line(shift))
    return notify_each(
        texts,
        kind=NoticeKind.SHIFT_REMINDER,
        dedupe_key=f"{reminder_key(shift.id)}:{lead}",
        outbox_key=reminder_key(shift.id),
        chat_text=_team_text(shift, holders, items, signin),
        lead_minutes=lead,
        duty_shift_id=shift.id,
    )


def stale_reminders(rows: list, now: datetime) -> set[int]:
    """Of claimed shift-reminder outbox rows, those no longer wanted: reminders follow the roster as it is now, so
    a person no longer on the shift (leave, swap, revision) or a shift that has started gets no reminder."""
    rows = [r for r in rows if r.duty_shift_id]
    if not rows:
        return set()
    shift_ids = {r.duty_shift_id for r in rows}
    started = set(DutyShift.objects.filter(id__in=shift_ids, starts_at__lte=now).values_list("id", flat=True))
    held = set(published_assignments().filter(duty_shift_id__in=shift_ids).values_list("duty_shift_id", "profile_id"))
    return {
        r.id
        for r in rows
        if r.duty_shift_id in started or (r.recipient_id and (r.duty_shift_id, r.recipient_id) not in held)
    }

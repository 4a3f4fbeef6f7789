"""Every write of the duty day. Views, tasks, the demo and the admin call these; each failing action raises
DutyError with a translated message and changes nothing. `now` is a keyword for tests; pages never pass it, so
times come from the server."""

import hashlib
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dutydesk import events
from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile, Team
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import leads_of, managers_of, supervisors_of
from dutydesk.texts import listed, stored
from leave.queries import has_emergency_call
from logbook import permissions as perms
from logbook import rules, texts
from logbook.models import (
    Accuracy,
    BreakKind,
    Category,
    DisciplineAcknowledgement,
    DisciplineKind,
    DisciplineRecord,
    Entry,
    EntryKind,
    EntryStatus,
    EquipmentItem,
    Handover,
    Logbook,
    PostBreak,
    Report,
    TaskType,
)
from logbook.search import reference_fields, search_text, vector_text
from roster.models import DutyShift
from roster.queries import holders, published_assignments


class DutyError(Exception):
    """A refused action; str(error) is the message shown to the person."""


# --- people to tell -------------------------------------------------------------------------------------------


def leads_and_supervisors(team) -> list[Profile]:
    return [*leads_of(team), *supervisors_of(team)]


def supervisors_and_managers(team) -> list[Profile]:
    return [*supervisors_of(team), *managers_of(team)]


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _locked(logbook: Logbook) -> Logbook:
    return Logbook.objects.select_for_update().select_related("duty_shift").get(pk=logbook.pk)


def _own_logbook_on_duty(logbook: Logbook, profile: Profile) -> Logbook:
    logbook = _locked(logbook)
    if logbook.profile_id != profile.pk:
        raise DutyError(_("This is another person's logbook."))
    if not logbook.is_on_duty:
        raise DutyError(_("You are not signed in to this shift."))
    return logbook


# --- R-ATT-6 ---------------------------------------------------------------------------------------------------


@transaction.atomic
def sign_discipline_acknowledgement(*, profile: Profile, now: datetime | None = None) -> DisciplineAcknowledgement:
    """R-ATT-6: signed once; signing again changes nothing."""
    acknowledgement, _created = DisciplineAcknowledgement.objects.get_or_create(
        profile=profile,
        defaults={"signed_at": _now(now), "version": rules.DISCIPLINE_ACKNOWLEDGEMENT_VERSION},
    )
    return acknowledgement


# --- sign-in and attendance (R-ATT-1..5) ----------------------------------------------------------------------


@transaction.atomic
def sign_in(duty_shift: DutyShift, *, profile: Profile, now: datetime | None = None) -> Logbook:
    """Open the person's logbook of a shift they hold (R-ATT-1). After the start: late, with a discipline record
    and an explanation due before sign-out (R-ATT-2)."""
    now = _now(now)
    if not holders(duty_shift).filter(profile=profile).exists():
        raise DutyError(_("You are not on the roster for this shift."))
    if not DisciplineAcknowledgement.objects.filter(profile=profile).exists():
        raise DutyError(_("Sign the discipline acknowledgement before your first duty."))
    timing = rules.classify_sign_in(now, duty_shift.starts_at, duty_shift.ends_at)
    if timing == rules.SignIn.TOO_EARLY:
        raise DutyError(_("Sign-in opens 30 minutes before the shift starts."))
    if timing == rules.SignIn.OVER:
        raise DutyError(_("This shift has already ended."))
    logbook, _created = Logbook.objects.select_for_update().get_or_create(
        duty_shift=duty_shift,
        profile=profile,
        defaults={"team_id": duty_shift.team_id},
    )
    if logbook.signed_in_at is not None:
        raise DutyError(_("You have already signed in to this shift."))
    logbook.signed_in_at = now
    logbook.late_minutes = rules.minutes_late(now, duty_shift.starts_at)
    logbook.save(update_fields=["signed_in_at", "late_minutes"])
    if timing == rules.SignIn.LATE:
        DisciplineRecord.objects.get_or_create(
            profile=profile,
            duty_shift=duty_shift,
            kind=DisciplineKind.LATE,
            defaults={
                "date": duty_shift.date,
                "note": _("Signed in %(minutes)d minutes after the start.") % {"minutes": logbook.late_minutes},
            },
        )
    return logbook


@transaction.atomic
def file_late_explanation(
    logbook: Logbook, *, profile: Profile, explanation: str, now: datetime | None = None
) -> Logbook:
    """R-ATT-2: the late explanation (迟到说明单), with a reason."""
    logbook = _locked(logbook)
    if logbook.profile_id != profile.pk:
        raise DutyError(_("This is another person's logbook."))
    if logbook.late_minutes == 0:
        raise DutyError(_("You were not late for this shift."))
    explanation = explanation.strip()
    if not explanation:
        raise DutyError(_("Write the reason you were late."))
    logbook.late_explanation = explanation
    logbook.late_explained_at = _now(now)
    logbook.save(update_fields=["late_explanation", "late_explained_at"])
    DisciplineRecord.objects.filter(profile=profile, duty_shift=logbook.duty_shift_id, kind=DisciplineKind.LATE).update(
        note=explanation
    )
    return logbook


@transaction.atomic
def check_equipment(
    logbook: Logbook, *, profile: Profile, items: list[str], expected: list[str], now: datetime | None = None
) -> Logbook:
    """R-ATT-1: the pre-shift equipment checklist; every item of the team's list must be ticked."""
    logbook = _own_logbook_on_duty(logbook, profile)
    missing = [item for item in expected if item not in items]
    if missing:
        raise DutyError(_("Check every item before you start: %(items)s.") % {"items": listed(missing)})
    logbook.equipment_checked = list(expected)
    logbook.equipment_checked_at = _now(now)
    logbook.save(update_fields=["equipment_checked", "equipment_checked_at"])
    return logbook


@transaction.atomic
def take_night_break(logbook: Logbook, *, profile: Profile, now: datetime | None = None) -> PostBreak:
    """R-ATT-5: a 10-minute break on a night shift once 2 hours have passed since the start or the last break."""
    now = _now(now)
    logbook = _own_logbook_on_duty(logbook, profile)
    taken = logbook.breaks.filter(kind=BreakKind.NIGHT_BREAK).count()
    if not rules.night_break_due(
        now, logbook.duty_shift.starts_at, is_night=logbook.duty_shift.is_night, breaks_taken=taken
    ):
        raise DutyError(_("No break is due yet: night shifts take 10 minutes every 2 hours."))
    return PostBreak.objects.create(
        logbook=logbook, kind=BreakKind.NIGHT_BREAK, started_at=now, ended_at=now + rules.NIGHT_BREAK_LENGTH
    )


@transaction.atomic
def leave_post(logbook: Logbook, *, profile: Profile, reason: str, now: datetime | None = None) -> PostBreak:
    """R-ATT-4: leaving the post during the shift, with a reason; the lead and supervisor are told at once."""
    now = _now(now)
    logbook = _own_logbook_on_duty(logbook, profile)
    reason = reason.strip()
    if not reason:
        raise DutyError(_("Say why you leave the post."))
    if logbook.breaks.filter(ended_at__isnull=True).exists():
        raise DutyError(_("You are already away from the post."))
    away = PostBreak.objects.create(logbook=logbook, kind=BreakKind.LEFT_POST, reason=reason, started_at=now)
    notify(
        leads_and_supervisors(logbook.team),
        kind=NoticeKind.ABSENCE_ALERT,
        subject=texts.LEFT_POST(
            name=profile.name, shift=str(logbook.duty_shift), time=timezone.localtime(now).strftime("%H:%M")
        ),
        body=rules.mask_text(reason),
        url=reverse("logbook:board", kwargs={"team": logbook.team.slug}),
        dedupe_key=f"left-post:{away.pk}",
    )
    return away


@transaction.atomic
def return_to_post(logbook: Logbook, *, profile: Profile, now: datetime | None = None) -> PostBreak:
    logbook = _own_logbook_on_duty(logbook, profile)
    away = logbook.breaks.select_for_update().filter(kind=BreakKind.LEFT_POST, ended_at__isnull=True).first()
    if away is None:
        raise DutyError(_("You are not away from the post."))
    away.ended_at = _now(now)
    away.save(update_fields=["ended_at"])
    return away


def is_last_shift_of_day(duty_shift: DutyShift) -> bool:
    return not DutyShift.objects.filter(
        team_id=duty_shift.team_id, date=duty_shift.date, starts_at__gt=duty_shift.starts_at
    ).exists()


def next_shift(duty_shift: DutyShift) -> DutyShift | None:
    return (
        DutyShift.objects.filter(team_id=duty_shift.team_id, starts_at__gt=duty_shift.starts_at)
        .order_by("starts_at")
        .first()
    )


def open_entries(team):
    return Entry.objects.filter(team=team, status=EntryStatus.OPEN)


@transaction.atomic
def sign_out(
    logbook: Logbook, *, profile: Profile, early_leave_reason: str = "", now: datetime | None = None
) -> Logbook:
    """Close the shift. Needs the late explanation (R-ATT-2) and, with open items, a handover signed by the
    outgoing agent unless this is the day's last shift (R-LOG-5). Before the end it is early leave (R-ATT-4):
    recorded with a reason and the lead and supervisor told."""
    now = _now(now)
    logbook = _own_logbook_on_duty(logbook, profile)
    shift = logbook.duty_shift
    if logbook.late_minutes and not logbook.late_explanation:
        raise DutyError(_("File your late explanation before signing out."))
    handover_signed = Handover.objects.filter(
        from_shift=shift, outgoing=profile, outgoing_signed_at__isnull=False
    ).exists()
    if rules.sign_out_blocked_by_open_items(
        open_items=open_entries(logbook.team_id).count(),
        handover_signed=handover_signed,
        last_shift_of_day=is_last_shift_of_day(shift),
    ):
        raise DutyError(_("There are open items: write and sign the handover before signing out."))
    early = rules.is_early_leave(now, shift.ends_at)
    early_leave_reason = early_leave_reason.strip()
    if early and not early_leave_reason:
        raise DutyError(_("The shift has not ended yet: give a reason for leaving early."))
    logbook.breaks.filter(ended_at__isnull=True).update(ended_at=now)
    logbook.signed_out_at = now
    logbook.early_leave_reason = early_leave_reason if early else ""
    logbook.save(update_fields=["signed_out_at", "early_leave_reason"])
    if early:
        DisciplineRecord.objects.get_or_create(
            profile=profile,
            duty_shift=shift,
            kind=DisciplineKind.EARLY_LEAVE,
            defaults={"date": shift.date, "note": early_leave_reason},
        )
        notify(
            leads_and_supervisors(logbook.team),
            kind=NoticeKind.ABSENCE_ALERT,
            subject=texts.EARLY_LEAVE(
                name=profile.name, shift=str(shift), time=timezone.localtime(now).strftime("%H:%M")
            ),
            body=rules.mask_text(early_leave_reason),
            url=reverse("logbook:board", kwargs={"team": logbook.team.slug}),
            dedupe_key=f"early-leave:{shift.pk}:{profile.pk}",
        )
    return logbook


# --- R-ATT-3: the absence job ---------------------------------------------------------------------------------


def mark_absences(*, now: datetime | None = None) -> int:
    """R-ATT-3: everyone rostered on a running shift who has not signed in 15 minutes after its start is marked
    absent from post, and the team's leads and supervisors are alerted at once. Safe to run twice or in two
    workers at once: one record per person and shift (unique constraint), one alert per dedupe key."""
    now = _now(now)
    missing = list(
        published_assignments()
        .filter(
            duty_shift__starts_at__lt=now - rules.ABSENCE_AFTER,
            duty_shift__starts_at__gte=now - timedelta(days=1),
            duty_shift__ends_at__gt=now,
        )
        .select_related("duty_shift__team")
    )
    signed_in = set(
        Logbook.objects.filter(
            duty_shift__in={a.duty_shift_id for a in missing}, signed_in_at__isnull=False
        ).values_list("duty_shift_id", "profile_id")
    )
    marked = 0
    for assignment in missing:
        if (assignment.duty_shift_id, assignment.profile_id) in signed_in:
            continue
        marked += _mark_absent(assignment.duty_shift, assignment.profile, now=now)
    return marked


def excuse_absence_for_call(*, call, actor: Profile) -> str | None:
    """R-LEAVE-3: a lead recorded the emergency call of someone already marked absent from post for that shift
    (R-ATT-3 marks 15 minutes after the start; the call may come later, within the hour): it is emergency leave,
    so the absence record goes, and the leads and supervisors are told. Registered with leave.calls."""
    marked = list(
        DisciplineRecord.objects.select_for_update().filter(
            kind=DisciplineKind.ABSENCE, duty_shift_id=call.duty_shift_id, profile_id=call.profile_id
        )
    )
    if not marked:
        return None
    shift = str(call.duty_shift)
    for row in marked:
        record(
            "logbook.absence_excused",
            actor=actor,
            target=row,
            team=call.team_id,
            label=f"{call.profile.name} {shift}",
            before={"kind": DisciplineKind.ABSENCE},
            refs=[refs.person(call.profile_id), refs.day(row.date)],
        )
    DisciplineRecord.objects.filter(pk__in=[row.pk for row in marked]).delete()
    notify(
        leads_and_supervisors(call.team),
        kind=NoticeKind.ABSENCE_ALERT,
        subject=texts.ABSENCE_EXCUSED(name=call.profile.name, shift=shift, lead=actor.name),
        url=reverse("logbook:discipline", kwargs={"team": call.team.slug}),
        dedupe_key=f"absence-excused:{call.duty_shift_id}:{call.profile_id}",
    )
    return str(texts.ABSENCE_EXCUSED(name=call.profile.name, shift=shift, lead=actor.name))


def _note_fields(text) -> dict:
    note, note_text = stored(text)
    return {"note": note, "note_text": note_text}


@transaction.atomic
def _mark_absent(duty_shift: DutyShift, profile: Profile, *, now: datetime) -> int:
    if Logbook.objects.filter(duty_shift=duty_shift, profile=profile, signed_in_at__isnull=False).exists():
        return 0  # signed in meanwhile
    if has_emergency_call(duty_shift.pk, profile.pk):
        return 0  # R-LEAVE-3: the lead recorded the emergency call: emergency leave, not an absence
    try:
        with transaction.atomic():
            row, created = DisciplineRecord.objects.get_or_create(
                profile=profile,
                duty_shift=duty_shift,
                kind=DisciplineKind.ABSENCE,
                defaults={"date": duty_shift.date, **_note_fields(texts.ABSENCE_NOTE())},
            )
    except IntegrityError:
        created = False  # another worker marked it at the same moment
    if created:
        record(
            "logbook.absence",
            actor=None,
            target=row,
            team=duty_shift.team_id,
            label=f"{profile.name} {duty_shift}",
            after={"kind": DisciplineKind.ABSENCE},
            refs=[refs.person(profile), refs.day(duty_shift.date)],
        )
        events.emit(
            events.ATTENDANCE_ABSENT,
            team_id=duty_shift.team_id,
            data={
                "discipline_record": row.pk,
                "person": profile.pk,
                "duty_shift": duty_shift.pk,
                "date": duty_shift.date.isoformat(),
                "marked_at": now.isoformat(),
            },
        )
    notify(
        leads_and_supervisors(duty_shift.team),
        kind=NoticeKind.ABSENCE_ALERT,
        subject=texts.ABSENT(name=profile.name, shift=str(duty_shift)),
        url=reverse("logbook:board", kwargs={"team": duty_shift.team.slug}),
        dedupe_key=f"absence:{duty_shift.id}:{profile.id}",
    )
    return 1 if created else 0


# --- entries (R-LOG-1..3) -------------------------------------------------------------------------------------

ENTRY_FIELDS = (
    "kind",
    "task_type",
    "category",
    "customer_name",
    "customer_phone",
    "customer_ref",
    "content",
    "outcome",
    "status",
    "promised_reply_at",
    "demand",
    "departments",
    "progress",
    "result_told",
)


def _clean_entry(data: dict, *, now: datetime) -> dict:
    values = {name: str(data.get(name) or "").strip() for name in ENTRY_FIELDS if name != "promised_reply_at"}
    values["promised_reply_at"] = data.get("promised_reply_at")
    values["category"] = values["category"] or Category.OTHER
    values["status"] = values["status"] or EntryStatus.DONE
    if values["kind"] not in EntryKind.values:
        raise DutyError(_("Choose what kind of entry this is."))
    if values["kind"] == EntryKind.TASK:
        if values["task_type"] not in TaskType.values:
            raise DutyError(_("Choose the business task: order lookup, order change or refund."))
    else:
        values["task_type"] = ""
    if not values["content"]:
        raise DutyError(_("Write what the customer asked or reported."))
    if values["kind"] == EntryKind.COMPLAINT and not values["demand"]:
        raise DutyError(_("A complaint needs the customer's demand."))  # R-LOG-3
    if values["status"] == EntryStatus.OPEN:
        if not rules.promise_is_valid(values["promised_reply_at"], now):
            raise DutyError(
                _("The promised reply time must be in the future, within %(days)d days.")
                % {"days": rules.PROMISE_WINDOW.days}
            )
    else:
        values["promised_reply_at"] = None
    return values


def searched_fields(entry: Entry) -> list[str]:
    """R-LOG-7: what the search looks in, as shown on the entry's page: the texts written and the category (in the
    team's language, zh-hans). Customer phone numbers and ids are left out: a search must not reveal them (R-LOG-4).
    """
    with translation.override(settings.LANGUAGE_CODE):
        category = str(Category(entry.category).label) if entry.category in Category.values else ""
    return [
        entry.content,
        entry.outcome,
        entry.demand,
        entry.departments,
        entry.progress,
        entry.result_told,
        entry.answer,
        category,
        entry.customer_name,
    ]


def _index(entry: Entry) -> None:
    # The customer's reference last (an order number): leads look things up by them (issue #27 point
    # 4); the results page keeps an entry found only by them from a viewer who sees them masked (R-LOG-4).
    fields = [*searched_fields(entry), *reference_fields(entry)]
    entry.search, entry.search_text = vector_text(*fields), search_text(*fields)


def index_entry(entry: Entry) -> None:
    """Set the entry's search columns from its fields (not saved): after any change to what is searched, the
    retention job's included (R-PIPL-3), so the index never holds what the entry no longer does."""
    _index(entry)


@transaction.atomic
def record_entry(
    logbook: Logbook, *, author: Profile, client_token: uuid.UUID | str, data: dict, now: datetime | None = None
) -> tuple[Entry, bool]:
    """Write an entry in the author's logbook of the shift on duty. Idempotent on the form's token: the same
    submission twice (double click, slow network, retry) returns the first entry and `created=False`."""
    now = _now(now)
    token = uuid.UUID(str(client_token))
    existing = Entry.objects.filter(client_token=token).first()
    if existing is not None:
        if existing.author_id != author.pk:
            raise DutyError(_("This form was already used by someone else; reload the page."))
        return existing, False
    logbook = _own_logbook_on_duty(logbook, author)
    values = _clean_entry(data, now=now)
    entry = Entry(logbook=logbook, team_id=logbook.team_id, author=author, client_token=token, created_at=now, **values)
    _index(entry)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # The same token committed by a concurrent request between our check and the insert.
        existing = Entry.objects.filter(client_token=token, author=author).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


@transaction.atomic
def update_entry(entry: Entry, *, editor: Profile, data: dict, now: datetime | None = None) -> Entry:
    """The author corrects an entry while still on duty in that shift; nobody else edits it."""
    now = _now(now)
    entry = Entry.objects.select_for_update().select_related("logbook").get(pk=entry.pk)
    if entry.author_id != editor.pk:
        raise DutyError(_("Only the author can change this entry."))
    if not entry.logbook.is_on_duty:
        raise DutyError(_("This entry's shift is closed; add a progress note instead."))
    values = _clean_entry(data, now=now)
    before = _entry_snapshot(entry)
    for name, value in values.items():
        setattr(entry, name, value)
    _index(entry)
    entry.save()
    record(
        "logbook.entry_edit",
        actor=editor,
        target=entry,
        before=before,
        after=_entry_snapshot(entry),
        refs=[refs.person(editor), refs.day(timezone.localdate(entry.created_at))],
    )
    return entry


def _entry_snapshot(entry: Entry) -> dict:
    """An entry's fields for the audit trail, customer data masked (R-PIPL-1): the trail is kept for years and
    never cleaned by the retention job, so it must not hold what retention removes."""
    return {
        name: rules.shown(name, value) if isinstance(value, str) else value
        for name, value in snapshot(entry, ENTRY_FIELDS).items()
    }


@transaction.atomic
def answer_entry(
    entry: Entry, *, profile: Profile, answer: str, result_told: str = "", now: datetime | None = None
) -> Entry:
    """R-LOG-2: the promised reply is given (by the author or whoever holds the open item now); the item closes."""
    now = _now(now)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not perms.may_act_on_entry(profile, entry):
        raise DutyError(_("Only the team's duty staff can answer this item."))
    if entry.status != EntryStatus.OPEN:
        raise DutyError(_("Somebody else has already answered this item."))
    answer = answer.strip()
    if not answer:
        raise DutyError(_("Write the reply given to the customer."))
    entry.status = EntryStatus.DONE
    entry.answer = answer
    entry.answered_at = now
    entry.answered_by = profile
    if result_told.strip():
        entry.result_told = result_told.strip()
    _index(entry)
    entry.save(update_fields=["status", "answer", "answered_at", "answered_by", "result_told", "search", "search_text"])
    return entry


@transaction.atomic
def add_progress(entry: Entry, *, profile: Profile, note: str, now: datetime | None = None) -> Entry:
    """R-LOG-3: a dated progress note on a complaint or an open item, by the team's duty staff."""
    now = _now(now)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if not perms.may_act_on_entry(profile, entry):
        raise DutyError(_("Only the team's duty staff can add progress notes."))
    note = note.strip()
    if not note:
        raise DutyError(_("Write the progress note."))
    line = f"{timezone.localtime(now):%m-%d %H:%M} {profile.name}: {note}"
    progress = f"{entry.progress}\n{line}".strip()
    if len(progress) > Entry._meta.get_field("progress").max_length:
        raise DutyError(
            _(
                "This entry's progress notes are full. Close it with the reply given, or write a new "
                "entry that refers to it."
            )
        )
    entry.progress = progress
    _index(entry)
    entry.save(update_fields=["progress", "search", "search_text"])
    return entry


# --- handover (R-LOG-5) ---------------------------------------------------------------------------------------


def open_items_text(team) -> tuple[str, list[int]]:
    """The handover's pre-filled list of open items, masked (R-LOG-4): it is read by the next shift, so it is
    written in the team's language and time (issue #13 points 3 and 4), whoever starts the handover."""
    with translation.override(settings.LANGUAGE_CODE):
        return _open_items_text(team)


def _open_items_text(team) -> tuple[str, list[int]]:
    lines, ids = [], []
    for entry in open_entries(team).order_by("promised_reply_at"):
        # No customer name, phone or reference copied into the text: the handover page lists the open entries
        # themselves with those, through the one masking rule (R-LOG-4, logbook.rules.shown; issue #27 point 5:
        # a copy masked for the next shift showed its own author DD****33 beside her list's DD778899).
        lines.append(
            _("- [%(kind)s] %(content)s (reply by %(time)s)")
            % {
                "kind": entry.get_kind_display(),
                "content": rules.mask_text(entry.content)[:80],
                "time": f"{timezone.localtime(entry.promised_reply_at):%m-%d %H:%M}",
            }
        )
        ids.append(entry.pk)
    limit = Handover._meta.get_field("open_items").max_length - 100
    shown = []
    for line in lines:
        if sum(len(text) + 1 for text in shown) + len(line) > limit:
            # A very long list still fits the handover: the rest is on the duty page, where open items are listed.
            shown.append(_("… and %(count)d more open items: see the duty page.") % {"count": len(lines) - len(shown)})
            break
        shown.append(line)
    return "\n".join(shown), ids


@transaction.atomic
def prepare_handover(logbook: Logbook, *, profile: Profile, now: datetime | None = None) -> Handover:
    """The outgoing agent's handover of this shift, created pre-filled with the open items on first use."""
    if logbook.profile_id != profile.pk:
        raise DutyError(_("This is another person's logbook."))
    existing = Handover.objects.filter(from_shift=logbook.duty_shift_id, outgoing=profile).first()
    if existing is not None:
        return existing
    text, ids = open_items_text(logbook.team_id)
    try:
        with transaction.atomic():
            return Handover.objects.create(
                team_id=logbook.team_id,
                from_shift=logbook.duty_shift,
                to_shift=next_shift(logbook.duty_shift),
                outgoing=profile,
                open_items=text,
                open_entry_ids=ids,
                created_at=_now(now),
            )
    except IntegrityError:  # a double click created it a moment ago
        return Handover.objects.get(from_shift=logbook.duty_shift_id, outgoing=profile)


def _locked_handover(handover: Handover) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.is_locked:
        raise DutyError(_("This handover is signed by both and can no longer be changed."))
    return handover


def handover_digest(handover: Handover) -> str:
    """A short fingerprint of the saved text: a form carries the one it was rendered with, so a save from a window
    opened before another save is refused rather than overwriting the newer text."""
    text = "\x1f".join((handover.open_items, handover.important, handover.notes))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _write_handover_text(
    handover: Handover, *, open_items: str, important: str, notes: str, based_on: str | None
) -> None:
    wanted = (open_items.strip(), important.strip(), notes.strip())
    if (handover.open_items, handover.important, handover.notes) == wanted:
        return  # the same text again (a double click, or a sign after save): nothing to write
    if based_on is not None and based_on != handover_digest(handover):
        raise DutyError(
            _(
                "This handover was changed in another window since you opened it. Copy what you typed, "
                "reload the page and try again."
            )
        )
    handover.open_items, handover.important, handover.notes = wanted
    handover.save(update_fields=["open_items", "important", "notes"])


@transaction.atomic
def save_handover(
    handover: Handover, *, profile: Profile, open_items: str, important: str, notes: str, based_on: str | None = None
) -> Handover:
    handover = _locked_handover(handover)
    if handover.outgoing_id != profile.pk:
        raise DutyError(_("Only the outgoing agent writes this handover."))
    if handover.outgoing_signed_at is not None:
        raise DutyError(_("You have signed this handover; it can no longer be changed."))
    _write_handover_text(handover, open_items=open_items, important=important, notes=notes, based_on=based_on)
    return handover


@transaction.atomic
def sign_handover_outgoing(
    handover: Handover,
    *,
    profile: Profile,
    now: datetime | None = None,
    text: dict | None = None,
    based_on: str | None = None,
) -> Handover:
    """The outgoing agent signs for themselves, with the time (R-LOG-5).

    `text` (open_items, important, notes) is what the form showed when they pressed sign: it is saved in the same
    transaction, so what was typed and not yet saved is never lost behind a signature that locks it.
    """
    handover = _locked_handover(handover)
    if handover.outgoing_id != profile.pk:
        raise DutyError(_("You can only sign for yourself: you are not the outgoing agent."))
    if handover.outgoing_signed_at is not None:
        raise DutyError(_("You have already signed this handover."))
    if text is not None:
        _write_handover_text(handover, **text, based_on=based_on)
    handover.outgoing_signed_at = _now(now)
    handover.save(update_fields=["outgoing_signed_at"])
    _emit_signed(handover, side="outgoing", profile=profile, at=handover.outgoing_signed_at)
    if handover.to_shift_id is not None:
        # Issue 23: the next shift's agents are asked to read and sign (in the app, and as a personal message).
        incoming = [
            a.profile for a in holders(handover.to_shift).select_related("profile") if a.profile_id != profile.pk
        ]
        notify(
            incoming,
            kind=NoticeKind.REQUEST_WAITING,
            subject=_("%(name)s handed over to your shift: please read and sign") % {"name": profile.name},
            url=reverse("logbook:handover", kwargs={"team": handover.team.slug, "handover": handover.pk}),
            dedupe_key=f"handover:{handover.pk}:to-sign",
        )
    return handover


@transaction.atomic
def sign_handover_incoming(handover: Handover, *, profile: Profile, now: datetime | None = None) -> Handover:
    """The incoming agent (holding the next shift) reads and signs for themselves; then the handover is locked."""
    handover = _locked_handover(handover)
    if handover.outgoing_signed_at is None:
        raise DutyError(_("The outgoing agent has not signed yet."))
    if profile.pk == handover.outgoing_id:
        raise DutyError(_("The incoming agent signs here, not the outgoing one."))
    if not perms.may_sign_incoming(profile, handover):
        raise DutyError(_("Only an agent of the next shift can sign as incoming."))
    handover.incoming = profile
    handover.incoming_signed_at = _now(now)
    handover.save(update_fields=["incoming", "incoming_signed_at"])
    _emit_signed(handover, side="incoming", profile=profile, at=handover.incoming_signed_at)
    return handover


def _emit_signed(handover: Handover, *, side: str, profile: Profile, at: datetime) -> None:
    """The outgoing webhooks' event (issue 25 item 4), in the signing transaction: one per signature (R-LOG-5);
    the incoming signature locks the handover. Ids and times only, never the handover's text."""
    events.emit(
        events.HANDOVER_SIGNED,
        team_id=handover.team_id,
        data={
            "handover": handover.pk,
            "side": side,
            "person": profile.pk,
            "from_shift": handover.from_shift_id,
            "to_shift": handover.to_shift_id,
            "signed_at": at.isoformat(),
            "complete": handover.incoming_signed_at is not None,
        },
    )


@transaction.atomic
def delete_handover(handover: Handover, *, profile: Profile) -> None:
    handover = _locked_handover(handover)
    if handover.outgoing_id != profile.pk or handover.outgoing_signed_at is not None:
        raise DutyError(_("A signed handover cannot be deleted."))
    handover.delete()


# --- summary, submission, reports (R-LOG-6) -------------------------------------------------------------------


@transaction.atomic
def write_summary(logbook: Logbook, *, profile: Profile, hot_issues: str, suggestions: str) -> Logbook:
    logbook = _locked(logbook)
    if logbook.profile_id != profile.pk:
        raise DutyError(_("This is another person's logbook."))
    if logbook.submitted_at is not None:
        raise DutyError(_("This logbook is already submitted."))
    if logbook.signed_in_at is None:
        raise DutyError(_("You are not signed in to this shift."))
    logbook.hot_issues, logbook.suggestions = hot_issues.strip(), suggestions.strip()
    logbook.save(update_fields=["hot_issues", "suggestions"])
    return logbook


@transaction.atomic
def submit_logbook(logbook: Logbook, *, profile: Profile, now: datetime | None = None) -> Logbook:
    """R-LOG-6: after sign-out, with a summary, the logbook goes to the supervisor's review list."""
    logbook = _locked(logbook)
    if logbook.profile_id != profile.pk:
        raise DutyError(_("This is another person's logbook."))
    if logbook.submitted_at is not None:
        raise DutyError(_("This logbook is already submitted."))
    if logbook.signed_out_at is None:
        raise DutyError(_("Sign out before submitting the logbook."))
    if not (logbook.hot_issues or logbook.suggestions):
        raise DutyError(_("Write the shift summary before submitting."))
    logbook.submitted_at = _now(now)
    logbook.save(update_fields=["submitted_at"])
    return logbook


@transaction.atomic
def escalate_report(
    logbook: Logbook, *, profile: Profile, title: str, body: str, now: datetime | None = None
) -> Report:
    """R-LOG-6: a major issue in writing; the supervisors and the manager are told at once (masked, R-LOG-4)."""
    if logbook.profile_id != profile.pk:
        raise DutyError(_("This is another person's logbook."))
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise DutyError(_("A report needs a title and a description."))
    report = Report.objects.create(logbook=logbook, author=profile, title=title, body=body, created_at=_now(now))
    notify(
        supervisors_and_managers(logbook.team),
        kind=NoticeKind.REPORT_ESCALATED,
        subject=texts.REPORT(name=profile.name, title=rules.mask_text(title)),
        body=rules.mask_text(body),
        url=reverse("logbook:logbook", kwargs={"team": logbook.team.slug, "logbook": logbook.pk}),
        dedupe_key=f"report:{report.pk}",
    )
    return report


# --- review and discipline (R-ATT-7, R-APP-3) -----------------------------------------------------------------


@transaction.atomic
def review_logbook(
    logbook: Logbook, *, reviewer: Profile, accuracy: str, note: str = "", now: datetime | None = None
) -> Logbook:
    """The record-accuracy mark of a submitted logbook (feeds the appraisal). A later review replaces it."""
    from logbook.permissions import can_review

    logbook = _locked(logbook)
    if not can_review(reviewer, logbook):
        raise DutyError(_("You cannot review this logbook."))
    if logbook.submitted_at is None:
        raise DutyError(_("This logbook has not been submitted yet."))
    if accuracy not in Accuracy.values:
        raise DutyError(_("Choose a record-accuracy mark."))
    before = snapshot(logbook, ["accuracy", "review_note"])
    logbook.accuracy, logbook.review_note = accuracy, note.strip()
    logbook.reviewed_by, logbook.reviewed_at = reviewer, _now(now)
    logbook.save(update_fields=["accuracy", "review_note", "reviewed_by", "reviewed_at"])
    record(
        "logbook.review",
        actor=reviewer,
        target=logbook,
        before=before,
        after=snapshot(logbook, ["accuracy", "review_note"]),
        refs=[refs.person(logbook.profile_id), refs.day(logbook.duty_shift.date)],
    )
    return logbook


@transaction.atomic
def record_discipline(*, profile: Profile, kind: str, date, note: str, recorded_by: Profile) -> DisciplineRecord:
    """R-ATT-7: a record entered by a lead or supervisor (an unapproved swap, a demerit ...)."""
    if not perms.may_record_discipline(recorded_by):
        raise DutyError(_("Only team leads and supervisors record discipline."))
    if kind not in DisciplineKind.values:
        raise DutyError(_("Choose the kind of record."))
    if not note.strip():
        raise DutyError(_("Say what happened."))
    if not perms.may_record_discipline_for(recorded_by, profile):
        raise DutyError(_("You can only record discipline for your own team."))
    row = DisciplineRecord.objects.create(
        profile=profile, kind=kind, date=date, note=note.strip(), recorded_by=recorded_by
    )
    record(
        "logbook.discipline",
        actor=recorded_by,
        target=row,
        team=profile.team_id,
        label=f"{profile.name} {date:%Y-%m-%d}",
        after=snapshot(row, ["kind", "date", "note"]),
        refs=[refs.person(profile), refs.day(date)],
    )
    return row


# --- team settings --------------------------------------------------------------------------------------------


@transaction.atomic
def set_equipment_items(team: Team, names: list[str], *, actor: Profile) -> list[EquipmentItem]:
    """R-ATT-1: replace the team's pre-shift checklist with `names`, in this order. An empty list removes the
    team's own list, so that the default one (rules.DEFAULT_EQUIPMENT) applies again. Logbooks already checked
    keep the items they were checked with (Logbook.equipment_checked is a copy)."""
    from logbook.permissions import keeps_settings_of

    if not keeps_settings_of(actor, team):
        raise DutyError(_("Only the team's supervisors set its equipment checklist."))
    names = [name.strip() for name in names]
    problem = rules.equipment_list_problem(names)
    if problem is not None:
        kind, name = problem
        raise DutyError(
            {
                rules.EquipmentProblem.TOO_MANY: _("A checklist has at most %(max)d items; this one has %(count)d.")
                % {"max": rules.MAX_EQUIPMENT_ITEMS, "count": len(names)},
                rules.EquipmentProblem.EMPTY_NAME: _("Every item needs a name."),
                rules.EquipmentProblem.NAME_TOO_LONG: _("The item name “%(name)s” is longer than %(max)d characters.")
                % {"name": name, "max": rules.EQUIPMENT_NAME_LENGTH},
                rules.EquipmentProblem.DUPLICATE: _("“%(name)s” is on the list twice.") % {"name": name},
            }[kind]
        )
    # Two supervisors saving at once: the second waits for the first and its list wins whole.
    Team.objects.select_for_update().get(pk=team.pk)
    before = list(EquipmentItem.objects.filter(team=team).order_by("order").values_list("name", flat=True))
    record(
        "logbook.equipment",
        actor=actor,
        team=team,
        label=team.name,
        before={"items": before},
        after={"items": names},
    )
    EquipmentItem.objects.filter(team=team).delete()
    return EquipmentItem.objects.bulk_create(
        EquipmentItem(team=team, name=name, order=position) for position, name in enumerate(names, start=1)
    )

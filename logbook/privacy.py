"""Writes about customers' personal data in the logbook (个人信息保护法): a reveal with its reason (R-PIPL-2), the
company's retention period and the retention job (R-PIPL-3).

The retention job's guarantee, for a run stopped at any moment (killed, the machine lost): every entry is either
untouched or fully cleaned. An entry is cleaned by one UPDATE that empties its customer's name, phone and reference,
erases the numbers in its texts, rewrites its search columns from the cleaned fields and stamps
`personal_data_removed_at`; entries are cleaned in batches, each batch one transaction with the run's own counts, so
what the run row says was removed is what was committed. A run that is stopped leaves its row unfinished; the next
run (nightly, or by hand) picks up the entries still due, since it selects by the stamp. Two runs at once: the
second waits on the first's row locks and skips the entries it finds stamped.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import connection, transaction
from django.db.models import DateTimeField, F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile
from logbook import rules
from logbook.models import Entry, EntryStatus, RetentionPolicy, RetentionRun
from logbook.permissions import may_reveal
from logbook.services import DutyError, index_entry

REVEAL_REASON_MIN = 2
REVEAL_REASON_MAX = 200
BATCH = 200
PERSONAL_FIELDS = tuple(rules.ENTRY_PERSONAL_FIELDS)


# --- R-PIPL-2: reveal ---------------------------------------------------------------------------------------------


@transaction.atomic
def reveal_entry(entry: Entry, *, viewer: Profile, reason: str) -> Entry:
    """Record that `viewer` sees this entry's customer data whole, and why; the caller shows it on this response
    only. Refused (DutyError, nothing recorded) without a reason or to anyone `may_reveal` refuses."""
    reason = " ".join((reason or "").split())
    if len(reason) < REVEAL_REASON_MIN:
        raise DutyError(_("Say why you need the customer's data in full (for example: call the customer back)."))
    if len(reason) > REVEAL_REASON_MAX:
        raise DutyError(_("Keep the reason under %(count)d characters.") % {"count": REVEAL_REASON_MAX})
    entry = Entry.objects.select_related("logbook__duty_shift").get(pk=entry.pk)
    if not may_reveal(viewer, entry):
        raise DutyError(_("You cannot see this entry's customer data in full."))
    fields = [name for name in PERSONAL_FIELDS if getattr(entry, name)]
    record(
        "logbook.reveal",
        actor=viewer,
        target=entry,
        reason=reason,
        label=f"{entry} · {rules.shown('customer_name', entry.customer_name)} {rules.mask(entry.customer_phone)}",
        after={"revealed_fields": fields},
        refs=[refs.person(entry.author_id), refs.person(viewer), refs.day(entry.logbook.duty_shift.date)],
    )
    return entry


# --- R-PIPL-3: retention ------------------------------------------------------------------------------------------


def retention_policy() -> RetentionPolicy:
    return RetentionPolicy.objects.get_or_create(pk=1)[0]


@transaction.atomic
def set_retention_days(*, actor: Profile, days: int) -> RetentionPolicy:
    """The company's retention period (a manager's decision). Refused outside the allowed range."""
    if not rules.MIN_RETENTION_DAYS <= days <= rules.MAX_RETENTION_DAYS:
        raise DutyError(
            _("Keep personal data between %(min)d and %(max)d days.")
            % {"min": rules.MIN_RETENTION_DAYS, "max": rules.MAX_RETENTION_DAYS}
        )
    policy = RetentionPolicy.objects.select_for_update().get_or_create(pk=1)[0]
    before = snapshot(policy, ["days"])
    policy.days, policy.updated_by, policy.updated_at = days, actor, timezone.now()
    policy.save()
    record(
        "logbook.retention_period",
        actor=actor,
        target=policy,
        label=_("Retention period"),
        before=before,
        after=snapshot(policy, ["days"]),
    )
    return policy


def due_entries(cutoff: datetime):
    """Entries still holding personal data whose logbook closed before `cutoff` and that nobody waits on: an open
    item (R-LOG-2) keeps its customer until answered, and then counts from the answer."""
    closed = Coalesce(
        "logbook__submitted_at", "logbook__signed_out_at", "logbook__duty_shift__ends_at", output_field=DateTimeField()
    )
    return (
        Entry.objects.filter(personal_data_removed_at__isnull=True)
        .exclude(status=EntryStatus.OPEN)
        .alias(closed=Greatest(closed, Coalesce("answered_at", closed), output_field=DateTimeField()))
        .filter(closed__lt=cutoff)
    )


def purge_personal_data(
    *, actor: Profile | None = None, dry_run: bool = False, now: datetime | None = None, batch: int = BATCH
) -> RetentionRun:
    """The retention job (nightly, logbook.schedule; `manage.py purge_personal_data`). Returns the run, whose
    `entries` and `fields` say what was removed (or, for a dry run, what would be)."""
    now = now or timezone.now()
    days = retention_policy().days
    cutoff = rules.retention_cutoff(now, days)
    run = RetentionRun.objects.create(dry_run=dry_run, days=days, cutoff=cutoff, started_by=actor, started_at=now)
    if dry_run:
        counts: Counter = Counter()
        total = 0
        for values in due_entries(cutoff).values(*PERSONAL_FIELDS).iterator(chunk_size=2000):
            removed = rules.removed_fields(values)
            if removed:
                total += 1
                counts.update(removed)
        run.entries, run.fields = total, dict(counts)
    else:
        last_id = 0
        while True:
            cleaned, last_id = _clean_batch(run, cutoff, after_id=last_id, size=batch, now=now)
            if cleaned is None:
                break
        run.refresh_from_db()
    run.finished_at = timezone.now()
    run.save(update_fields=["entries", "fields", "finished_at"])
    if not dry_run:
        record(
            "logbook.retention",
            actor=actor,
            target=run,
            label=_("Retention run: logbooks closed before %(date)s")
            % {"date": f"{timezone.localtime(cutoff):%Y-%m-%d}"},
            after={"entries": run.entries, **run.fields},
        )
    return run


@transaction.atomic
def _clean_batch(run: RetentionRun, cutoff: datetime, *, after_id: int, size: int, now: datetime):
    """One batch, one transaction: the batch's entries locked (in id order, so two runs never deadlock), each
    cleaned whole, written in one UPDATE with the run's counts. Returns (number cleaned, last id) or
    (None, after_id) when nothing is left."""
    ids = list(due_entries(cutoff).filter(id__gt=after_id).order_by("id").values_list("id", flat=True)[:size])
    if not ids:
        return None, after_id
    # Re-read under the lock: another run may have cleaned some meanwhile (then they are no longer due).
    entries = list(
        Entry.objects.select_for_update().filter(pk__in=ids, personal_data_removed_at__isnull=True).order_by("id")
    )
    counts: Counter = Counter()
    cleaned = 0
    for entry in entries:
        values = {name: getattr(entry, name) for name in PERSONAL_FIELDS}
        removed = rules.removed_fields(values)
        for name, value in rules.erased(values).items():
            setattr(entry, name, value)
        index_entry(entry)
        entry.personal_data_removed_at = now
        counts.update(removed)
        cleaned += 1 if removed else 0  # counted as the dry run counts: entries that lost something
    _write(entries)
    fields = Counter(run.fields) + counts
    RetentionRun.objects.filter(pk=run.pk).update(entries=F("entries") + cleaned, fields=dict(fields))
    run.fields = dict(fields)
    return cleaned, ids[-1]


_COLUMNS = [*PERSONAL_FIELDS, "search_text", "personal_data_removed_at"]
# Written out: bulk_update's CASE expressions cost more to compile than the UPDATEs to run (20k entries: minutes).
_UPDATE = (
    "UPDATE logbook_entry SET "
    + ", ".join(f"{name} = %s" for name in _COLUMNS)
    + ", search = %s::tsvector WHERE id = %s"
)


def _write(entries: list[Entry]) -> None:
    """Each cleaned entry as one UPDATE of all its cleaned columns at once (so an entry is never half cleaned)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            _UPDATE, [[*(getattr(entry, name) for name in _COLUMNS), entry.search, entry.pk] for entry in entries]
        )


def entries_due_count(now: datetime | None = None) -> int:
    """How many entries the next run would clean, at the period in force (the settings page's preview)."""
    return due_entries(rules.retention_cutoff(now or timezone.now(), retention_policy().days)).count()

"""Reads of the logbook that pages and other apps use.

`monthly_inputs` is the contract with appraisal (R-APP-2, R-APP-3, R-ATT-7): what the logbook and discipline
records say about each person in a period. The logbook app fills it in; appraisal only reads it.
`attendance` is the contract with compensation: what happened on each duty shift, for the hours actually worked.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone


@dataclass(frozen=True)
class MonthlyLogbookInputs:
    promised_replies_due: int = 0  # R-LOG-2: promised replies whose promised time fell in the period
    promised_replies_on_time: int = 0  # of those, answered by the promised time
    accuracy_marks: tuple[str, ...] = ()  # record-accuracy marks of the person's reviewed logbooks (accurate/few/many)
    discipline: dict[str, int] = field(default_factory=dict)  # R-ATT-7: {"late": n, "absence": n, ...}


def _period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_default_timezone()
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=zone
    )


def monthly_inputs(profile_ids: list[int], start: date, end: date) -> dict[int, MonthlyLogbookInputs]:
    """Per profile id, the logbook inputs of [start, end] (inclusive). Profiles with nothing get empty inputs.
    Three queries whatever the number of people."""
    from logbook.models import DisciplineRecord, Entry, Logbook

    since, until = _period_bounds(start, end)
    # R-LOG-2: the author made the promise; on time = answered no later than promised.
    promises = {
        row["author_id"]: row
        for row in Entry.objects.filter(
            author_id__in=profile_ids, promised_reply_at__gte=since, promised_reply_at__lt=until
        )
        .values("author_id")
        .annotate(
            due=Count("id"),
            on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=F("promised_reply_at"))),
        )
        .order_by()
    }
    marks: dict[int, list[str]] = defaultdict(list)
    for profile_id, accuracy in (
        Logbook.objects.filter(profile_id__in=profile_ids, duty_shift__date__gte=start, duty_shift__date__lte=end)
        .exclude(accuracy="")
        .order_by("duty_shift__starts_at")
        .values_list("profile_id", "accuracy")
    ):
        marks[profile_id].append(accuracy)
    discipline: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        DisciplineRecord.objects.filter(profile_id__in=profile_ids, date__gte=start, date__lte=end)
        .values("profile_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        discipline[row["profile_id"]][row["kind"]] = row["n"]
    return {
        profile_id: MonthlyLogbookInputs(
            promised_replies_due=promises.get(profile_id, {}).get("due", 0),
            promised_replies_on_time=promises.get(profile_id, {}).get("on_time", 0),
            accuracy_marks=tuple(marks.get(profile_id, ())),
            discipline=dict(discipline.get(profile_id, {})),
        )
        for profile_id in profile_ids
    }


# --- the agent's duty page ------------------------------------------------------------------------------------


def equipment_of(team) -> list[str]:
    """R-ATT-1: the team's pre-shift checklist, or the default one."""
    from logbook.models import EquipmentItem
    from logbook.rules import DEFAULT_EQUIPMENT

    return list(EquipmentItem.objects.filter(team=team).values_list("name", flat=True)) or [
        str(i) for i in DEFAULT_EQUIPMENT
    ]


def current_assignment(profile, *, now: datetime):
    """The shift the person is signed in to (even past its end, until sign-out), else the one running or coming
    next within 18 hours; None when there is none."""
    from logbook.models import Logbook
    from roster.queries import published_assignments, shifts_of

    open_shift = (
        Logbook.objects.filter(profile=profile, signed_in_at__isnull=False, signed_out_at__isnull=True)
        .order_by("-duty_shift__starts_at")
        .values_list("duty_shift_id", flat=True)
        .first()
    )
    if open_shift is not None:
        held = published_assignments().filter(profile=profile, duty_shift_id=open_shift).first()
        if held is not None:
            return held
    return (
        shifts_of(profile, start=timezone.localdate(now) - timedelta(days=1))
        .filter(duty_shift__ends_at__gt=now, duty_shift__starts_at__lt=now + timedelta(hours=18))
        .first()
    )


def unfinished_logbook(profile):
    """The person's latest logbook not yet submitted (to finish its summary after sign-out)."""
    from logbook.models import Logbook

    return (
        Logbook.objects.filter(profile=profile, signed_in_at__isnull=False, submitted_at__isnull=True)
        .select_related("duty_shift__shift_type", "team")
        .order_by("-duty_shift__starts_at")
        .first()
    )


def open_items(team, *, exclude_shift=None):
    """R-LOG-2: the team's open items, the oldest promise first; `exclude_shift` leaves out this shift's own."""
    from logbook.models import Entry, EntryStatus

    items = (
        Entry.objects.filter(team=team, status=EntryStatus.OPEN)
        .select_related("author", "logbook__duty_shift__shift_type")
        .order_by("promised_reply_at")
    )
    if exclude_shift is not None:
        items = items.exclude(logbook__duty_shift=exclude_shift)
    return items


def entries_of(logbook):
    return logbook.entries.select_related("author", "answered_by").order_by("-created_at", "-id")


def incoming_handovers(team, profile, *, now: datetime):
    """Handovers waiting for this person's signature as incoming agent: those to a shift they hold (or, for the
    day's last shift with no next shift, any in the team), signed by the outgoing agent."""
    from logbook.models import Handover
    from roster.queries import shifts_of

    shift_ids = list(
        shifts_of(
            profile, start=timezone.localdate(now) - timedelta(days=1), end=timezone.localdate(now) + timedelta(days=7)
        ).values_list("duty_shift_id", flat=True)
    )
    return (
        Handover.objects.filter(team=team, outgoing_signed_at__isnull=False, incoming_signed_at__isnull=True)
        .filter(Q(to_shift_id__in=shift_ids) | Q(to_shift__isnull=True))
        .exclude(outgoing=profile)
        .select_related("outgoing", "from_shift__shift_type")
        .order_by("created_at")
    )


def duty_page(profile, team, *, now: datetime) -> dict:
    """What the person's duty page shows for `team` at `now`: the shift (if any), its logbook, open items carried
    over, handovers to sign, and while on duty the entries, breaks and the rules' prompts (R-ATT-1..5, R-LOG-1..6).
    A fixed number of queries."""
    from logbook import rules
    from logbook.models import BreakKind, DisciplineAcknowledgement, Handover, Logbook

    assignment = current_assignment(profile, now=now) if profile.team_id == team.pk else None
    logbook = None
    if assignment is not None:
        logbook = Logbook.objects.filter(duty_shift=assignment.duty_shift, profile=profile).first()
    unfinished = unfinished_logbook(profile)
    if unfinished is not None and unfinished.team_id != team.pk:
        unfinished = None
    on_duty = logbook is not None and logbook.is_on_duty
    page = {
        "now": now,
        "acknowledged": DisciplineAcknowledgement.objects.filter(profile=profile).exists(),
        "assignment": assignment,
        "logbook": logbook,
        "on_duty": on_duty,
        "sign_in_state": rules.classify_sign_in(now, assignment.duty_shift.starts_at, assignment.duty_shift.ends_at)
        if assignment
        else None,
        "carried_items": open_items(team, exclude_shift=assignment.duty_shift if assignment else None),
        "incoming_handovers": incoming_handovers(team, profile, now=now),
        "unfinished": unfinished,
    }
    if on_duty:
        breaks = list(logbook.breaks.all())
        page.update(
            equipment=equipment_of(team),
            entries=entries_of(logbook),
            breaks=breaks,
            away=next((b for b in breaks if b.ended_at is None), None),
            night_break_due=rules.night_break_due(
                now,
                logbook.duty_shift.starts_at,
                is_night=logbook.duty_shift.is_night,
                breaks_taken=sum(1 for b in breaks if b.kind == BreakKind.NIGHT_BREAK),
            ),
            handover=Handover.objects.filter(from_shift=logbook.duty_shift, outgoing=profile).first(),
            ends_early=rules.is_early_leave(now, logbook.duty_shift.ends_at),
        )
    return page


def members(team):
    """The team's agents and team leads, by name (discipline records are about them)."""
    from dutydesk.models import Profile, Role

    return Profile.objects.filter(team=team, role__in=[Role.AGENT, Role.LEAD]).order_by("name")


def acknowledgement_of(profile):
    """R-ATT-6: the person's signed discipline acknowledgement, or None."""
    from logbook.models import DisciplineAcknowledgement

    return DisciplineAcknowledgement.objects.filter(profile=profile).first()


def uses_default_equipment(team) -> bool:
    from logbook.models import EquipmentItem

    return not EquipmentItem.objects.filter(team=team).exists()


# --- the board (leads, supervisors) ---------------------------------------------------------------------------


@dataclass
class BoardRow:
    duty_shift: object
    profile: object
    role: str
    logbook: object | None
    absent: bool
    late_minutes: int


def board(team, *, day: date, now: datetime) -> dict:
    """Today's board in a fixed number of queries: who is on, signed in, late, absent; open items; overdue."""
    from logbook.models import DisciplineKind, DisciplineRecord, Logbook
    from roster.queries import published_assignments

    assignments = list(
        published_assignments()
        .filter(duty_shift__team=team, date=day)
        .order_by("duty_shift__starts_at", "profile__name")
    )
    logbooks = {(lb.duty_shift_id, lb.profile_id): lb for lb in Logbook.objects.filter(team=team, duty_shift__date=day)}
    absent = set(
        DisciplineRecord.objects.filter(
            kind=DisciplineKind.ABSENCE, duty_shift__team=team, duty_shift__date=day
        ).values_list("duty_shift_id", "profile_id")
    )
    rows = []
    for assignment in assignments:
        key = (assignment.duty_shift_id, assignment.profile_id)
        logbook = logbooks.get(key)
        rows.append(
            BoardRow(
                assignment.duty_shift,
                assignment.profile,
                assignment.get_role_display(),
                logbook,
                key in absent,
                logbook.late_minutes if logbook else 0,
            )
        )
    items = list(open_items(team))
    return {
        "rows": rows,
        "open_items": items,
        "overdue": [item for item in items if item.promised_reply_at < now],
        "signed_in": sum(1 for row in rows if row.logbook and row.logbook.signed_in_at),
        "late": sum(1 for row in rows if row.late_minutes),
        "absent": sum(1 for row in rows if row.absent),
    }


def logbooks_for_review(team):
    from logbook.models import Logbook

    return (
        Logbook.objects.filter(team=team, submitted_at__isnull=False)
        .select_related("profile", "duty_shift__shift_type", "reviewed_by")
        .annotate(entry_count=Count("entries"))
        .order_by("accuracy", "-duty_shift__starts_at")
    )


def discipline_by_person(team, *, since: date) -> list[dict]:
    """R-ATT-7: each member's records since a date, with counts by kind."""
    from logbook.models import DisciplineAcknowledgement, DisciplineKind, DisciplineRecord

    people = list(members(team))
    records = defaultdict(list)
    for record in (
        DisciplineRecord.objects.filter(profile__in=people, date__gte=since)
        .select_related("duty_shift__shift_type", "recorded_by")
        .order_by("-date", "-created_at")
    ):
        records[record.profile_id].append(record)
    acknowledged = dict(
        DisciplineAcknowledgement.objects.filter(profile__in=people).values_list("profile_id", "signed_at")
    )
    return [
        {
            "profile": person,
            "records": records[person.pk],
            "counts": [(kind.label, sum(1 for r in records[person.pk] if r.kind == kind)) for kind in DisciplineKind],
            "acknowledged_at": acknowledged.get(person.pk),
        }
        for person in people
    ]


def complaint_statistics(team, *, period: str, since: date) -> dict:
    """R-LOG-3: complaints counted by category per week or month, as chart data."""
    from logbook.models import Category, Entry, EntryKind

    trunc = TruncWeek if period == "week" else TruncMonth
    rows = (
        Entry.objects.filter(team=team, kind=EntryKind.COMPLAINT, created_at__gte=_period_bounds(since, since)[0])
        .annotate(bucket=trunc("created_at"))
        .values("bucket", "category")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    buckets: list[date] = []
    counts: dict[tuple, int] = {}
    for row in rows:
        bucket = timezone.localtime(row["bucket"]).date() if isinstance(row["bucket"], datetime) else row["bucket"]
        if bucket not in buckets:
            buckets.append(bucket)
        counts[(bucket, row["category"])] = row["n"]
    categories = [c for c in Category if any(key[1] == c.value for key in counts)]
    return {
        "labels": [b.strftime("%m-%d") if period == "week" else b.strftime("%Y-%m") for b in buckets],
        "datasets": [
            {"label": str(c.label), "data": [counts.get((b, c.value), 0) for b in buckets]} for c in categories
        ],
        "totals": [(str(c.label), sum(counts.get((b, c.value), 0) for b in buckets)) for c in categories],
    }


# --- search (R-LOG-7) -----------------------------------------------------------------------------------------

# How the search finds the newest matches (R-LOG-7). Reading the newest rows and testing each, and confirming a
# candidate of the GIN index, cost about the same per row; a common word fills the page within the newest few
# hundred rows, while a rare one has few candidates. So: read the newest rows of a first scan; with few matches
# there (the word is rare: its candidates are few) ask the index; else read on as far as the density found says
# the page needs, up to a last scan, and ask the index only if that still falls short. One team's rows are spread
# over the table (one page each, where the teams' newest rows share pages), so its scans are shorter.
# (first scan, matches in it from which reading on is cheaper than the index, last scan)
SCANS_ALL_TEAMS = (2_000, 8, 20_000)
SCANS_ONE_TEAM = (500, 4, 5_000)

# The newest rows of the teams, read in time order through the created_at index and stopped as soon as the
# page is full: a common word (退款) fills it within a few hundred rows. The substring test is the match itself
# (logbook.search); the LIMIT in the subquery bounds the work when the words are rare.
_RECENT_SQL = """
SELECT id FROM (
    SELECT id, created_at, search_text FROM logbook_entry WHERE {teams}
    ORDER BY {order} LIMIT %(scan)s
) AS recent
WHERE strpos(search_text, %(needle)s) > 0
LIMIT %(wanted)s
"""
# The candidates through the GIN index, each confirmed by the substring test, then the newest: for words too rare
# to fill a page from the newest rows. MATERIALIZED keeps the planner from walking the created_at index over the
# whole table for a rare word (PostgreSQL misjudges how rare a conjunction of correlated n-grams is).
_ALL_SQL = """
WITH hits AS MATERIALIZED (
    SELECT id, created_at FROM logbook_entry
    WHERE search @@ %(query)s::tsquery AND {teams} AND strpos(search_text, %(needle)s) > 0
)
SELECT id FROM hits ORDER BY created_at DESC, id DESC {limit}
"""


def searchable(text: str) -> bool:
    """Whether a query can be looked up: it holds a letter, a digit or a Chinese character."""
    from logbook.search import tsquery_text

    return bool(tsquery_text(text))


def search_ids(text: str, *, team_ids, limit: int | None = 50, offset: int = 0) -> list[int]:
    """Ids of the entries of these teams whose searched fields contain `text` as typed (after NFKC normalisation,
    ignoring case: what Ctrl-F finds on each entry), newest first; all of them when `limit` is None.
    At most three queries, whatever the table's size."""
    from django.db import connection

    from logbook.search import query_needle, tsquery_text

    query, needle = tsquery_text(text), query_needle(text)
    team_ids = sorted(set(team_ids))
    if not query or not team_ids:
        return []
    # One team: its own (team, created_at) index, named by the ORDER BY; several: the created_at index.
    if len(team_ids) == 1:
        teams, order = "team_id = %(team)s", "team_id, created_at DESC"
    else:
        teams, order = "team_id = ANY(%(teams)s)", "created_at DESC"
    wanted = None if limit is None else offset + limit
    params = {"query": query, "needle": needle, "wanted": wanted, "team": team_ids[0], "teams": team_ids}
    ids = []
    with connection.cursor() as cursor:

        def newest(rows: int) -> list[int]:
            cursor.execute(_RECENT_SQL.format(teams=teams, order=order), {**params, "scan": rows})
            return [row[0] for row in cursor.fetchall()]

        if wanted is not None:
            first, dense, last = SCANS_ONE_TEAM if len(team_ids) == 1 else SCANS_ALL_TEAMS
            ids = newest(first)
            if dense <= len(ids) < wanted:
                rows = math.ceil(1.5 * wanted * first / len(ids))
                if rows <= last:
                    ids = newest(rows)
        if wanted is None or len(ids) < wanted:
            cursor.execute(_ALL_SQL.format(teams=teams, limit="" if wanted is None else "LIMIT %(wanted)s"), params)
            ids = [row[0] for row in cursor.fetchall()]
    return ids[offset:]


def signed_out_shift_ids(profile_id: int, duty_shift_ids: list[int]) -> set[int]:
    """The shifts among `duty_shift_ids` the person has signed out of (the leave form no longer offers them)."""
    from logbook.models import Logbook

    return set(
        Logbook.objects.filter(
            profile_id=profile_id, duty_shift_id__in=duty_shift_ids, signed_out_at__isnull=False
        ).values_list("duty_shift_id", flat=True)
    )


def search_entries(text: str, *, team_ids, limit: int = 50, offset: int = 0, may_reveal=None) -> list:
    """The entries of `search_ids`, newest first, with what the results page shows: four queries at most.

    `may_reveal(entry)` says whether the reader may see the entry's customer data whole (R-LOG-4, R-PIPL-2,
    logbook.permissions.may_reveal): an entry found only by its customer's name or order reference is left out for
    a reader who may not, so the search never confirms a name or a number the page masks for them. Those who may
    find it by them and see them masked in the results, as on every page (R-PIPL-1; issue #27 point 4)."""
    from logbook.models import Entry
    from logbook.search import customer_fields, found_only_by_reference, query_needle

    ids = search_ids(text, team_ids=team_ids, limit=limit, offset=offset)
    if not ids:
        return []
    # The tsvector is for the database only: not read back (it is long to parse).
    rows = (
        Entry.objects.select_related("author", "team", "logbook__duty_shift__shift_type").defer("search").in_bulk(ids)
    )
    needle = query_needle(text)
    found = [
        entry
        for entry in (rows[i] for i in ids if i in rows)
        if may_reveal is None
        or may_reveal(entry)
        or not found_only_by_reference(entry.search_text, customer_fields(entry), needle)
    ]
    return sorted(found, key=lambda entry: (entry.created_at, entry.pk), reverse=True)


def handover_entries(handover) -> list:
    """The open entries a handover was started with (its open_entry_ids), oldest promise first: the page shows
    their customer data through the one rule (R-LOG-4), as every other page does."""
    from logbook.models import Entry

    return list(
        Entry.objects.filter(pk__in=handover.open_entry_ids, team_id=handover.team_id)
        .select_related("author", "team")
        .defer("search", "search_text")
        .order_by("promised_reply_at", "pk")
    )


def open_items_by_shift(duty_shift_ids: list[int]) -> dict[int, list[str]]:
    """For shift reminders (roster.reminders): the open items waiting for each shift's people —
    the team's open promised replies (R-LOG-2), masked (R-LOG-4), oldest promise first. Two queries."""
    from logbook.models import Entry, EntryStatus
    from logbook.rules import mask, mask_text
    from roster.models import DutyShift

    team_of = dict(DutyShift.objects.filter(id__in=duty_shift_ids).values_list("id", "team_id"))
    waiting: dict[int, list[str]] = {}
    rows = (
        Entry.objects.filter(team_id__in=set(team_of.values()), status=EntryStatus.OPEN)
        .order_by("promised_reply_at")
        .values_list("team_id", "customer_ref", "content", "promised_reply_at")
    )
    zone = timezone.get_current_timezone()
    for team_id, ref, content, promised in rows:
        text = f"{mask(ref)} {mask_text(content)[:40]}".strip()
        waiting.setdefault(team_id, []).append(f"{promised.astimezone(zone):%m-%d %H:%M} {text}")
    return {shift_id: waiting.get(team_id, [])[:10] for shift_id, team_id in team_of.items()}


# --- attendance, for duty hours (compensation) -------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftAttendance:
    """What the duty day recorded of one person on one duty shift: sign-in and sign-out (R-ATT-1, R-ATT-4), the
    times away from the post (R-ATT-4; night breaks, R-ATT-5, are part of the shift and not listed), and whether
    an absence was recorded (R-ATT-3)."""

    signed_in_at: datetime | None = None
    signed_out_at: datetime | None = None
    away: tuple[tuple[datetime, datetime | None], ...] = ()
    absent: bool = False


def attendance(team_ids: list[int], start: date, end: date) -> dict[tuple[int, int], ShiftAttendance]:
    """(duty shift id, profile id) → attendance, for the duty shifts of `team_ids` dated [start, end]. A pair
    with nothing recorded is absent from the dict. Three queries whatever the number of people or shifts."""
    from logbook.models import BreakKind, DisciplineKind, DisciplineRecord, Logbook, PostBreak

    shift_filter = {"duty_shift__team_id__in": team_ids, "duty_shift__date__gte": start, "duty_shift__date__lte": end}
    books = {
        (shift_id, profile_id): (logbook_id, signed_in, signed_out)
        for logbook_id, shift_id, profile_id, signed_in, signed_out in Logbook.objects.filter(
            **shift_filter
        ).values_list("id", "duty_shift_id", "profile_id", "signed_in_at", "signed_out_at")
    }
    away: dict[int, list] = defaultdict(list)
    for logbook_id, started, ended in (
        PostBreak.objects.filter(kind=BreakKind.LEFT_POST, **{f"logbook__{k}": v for k, v in shift_filter.items()})
        .order_by("started_at")
        .values_list("logbook_id", "started_at", "ended_at")
    ):
        away[logbook_id].append((started, ended))
    absent = set(
        DisciplineRecord.objects.filter(kind=DisciplineKind.ABSENCE, **shift_filter).values_list(
            "duty_shift_id", "profile_id"
        )
    )
    result = {key: ShiftAttendance(absent=True) for key in absent}
    for key, (logbook_id, signed_in, signed_out) in books.items():
        result[key] = ShiftAttendance(
            signed_in_at=signed_in, signed_out_at=signed_out, away=tuple(away.get(logbook_id, ())), absent=key in absent
        )
    return result


# --- R-PIPL-3 ------------------------------------------------------------------------------------------------


def retention_runs_page(page_number):
    """A page of retention runs, newest first, each with `field_counts`: (field label, entries) rows. One count
    and one page query."""
    from django.core.paginator import Paginator

    from logbook.models import Entry, RetentionRun
    from logbook.rules import ENTRY_PERSONAL_FIELDS

    runs = RetentionRun.objects.select_related("started_by").order_by("-started_at", "-id")
    page = Paginator(runs, 20).get_page(page_number)
    for run in page.object_list:
        run.field_counts = [
            (Entry._meta.get_field(name).verbose_name, run.fields[name])
            for name in ENTRY_PERSONAL_FIELDS
            if run.fields.get(name)
        ]
    return page


def contacts_by_hour(team, start: date, end: date) -> dict[tuple[date, int], int]:
    """{(date, hour): entries written} from `start` to `end` (inclusive) in the team's logbooks, by the entry's
    local time: every inquiry, complaint and business task is one customer contact (R-LOG-1). What the demand
    forecast reads of the logbook; one query, grouped in the database."""
    from logbook.models import Entry

    zone = timezone.get_default_timezone()
    begin, finish = _period_bounds(start, end)
    rows = (
        Entry.objects.filter(team=team, created_at__gte=begin, created_at__lt=finish)
        .annotate(day=TruncDate("created_at", tzinfo=zone), hour=ExtractHour("created_at", tzinfo=zone))
        .values("day", "hour")
        .annotate(contacts=Count("id"))
        .values_list("day", "hour", "contacts")
    )
    return {(day, hour): contacts for day, hour, contacts in rows}


def team_logbooks(team, start: date, end: date) -> QuerySet:
    """The sign-ins (logbooks) of `team`'s duty shifts dated `start` to `end`, oldest first (the public API)."""
    from logbook.models import Logbook

    return (
        Logbook.objects.filter(team=team, duty_shift__date__range=(start, end))
        .select_related("profile", "duty_shift__shift_type")
        .order_by("id")
    )


def team_discipline(team, start: date, end: date) -> QuerySet:
    """The discipline records of `team`'s people dated `start` to `end` (the public API)."""
    from logbook.models import DisciplineRecord

    return (
        DisciplineRecord.objects.filter(profile__team=team, date__range=(start, end))
        .select_related("profile", "duty_shift__shift_type")
        .order_by("id")
    )

"""The audit trail and the retention job at a year's volume.

History: 500,000 events (20 teams, 500 people, a year of days) loaded with one INSERT ... SELECT, then the history
pages' one query (dutydesk.audit.queries.events_page) timed for a person, a day, a roster, a team, what concerns an
agent, the manager's text search, and a deep page. Each answer is checked against PostgreSQL alone (the same
filter written out in SQL, newest 50), sharing no code with the query.

Retention: 20,000 entries of logbooks closed 200 days ago, cleaned by logbook.privacy.purge_personal_data; the check
counts, in SQL, entries still holding a phone, a name or a reference among them.

    BENCH audit.events500k.<filter>_ms       median ms of one history page (50 rows)
    BENCH audit.events500k.mismatches        rows differing from the SQL reference, over every filter
    BENCH retention.entries20k.seconds       one run over 20,000 due entries
    BENCH retention.entries20k.left          due entries still holding personal data after the run (0)
"""

import statistics
import time
import uuid
from datetime import timedelta

from django.db import connection
from django.utils import timezone

EVENTS = 500_000
TEAMS = 20
PEOPLE = 500
ENTRIES = 20_000
RUNS = 7


def _teams():
    from dutydesk.models import Team

    return [
        Team.objects.get_or_create(slug=f"bench-audit-{n}", defaults={"name": f"审计组{n}"})[0] for n in range(TEAMS)
    ]


def _load_events(teams) -> float:
    began = time.perf_counter()
    first_team = teams[0].pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audit_auditevent
                (at, actor_id, actor_name, action, team_id, target_type, target_id, target_label, reason, refs)
            SELECT now() - (i * interval '63 seconds'), NULL, '主管' || (i %% 40), 'roster.cell', %s + (i %% %s),
                   'roster.roster', (i %% 240)::text, '排班 ' || i, CASE WHEN i %% 1000 = 0 THEN '回访客户' ELSE '' END,
                   ARRAY['person:' || (i %% %s), 'day:' || to_char(date '2026-12-31' - (i %% 365), 'YYYY-MM-DD'),
                         'roster:' || (i %% 240), 'team:' || (%s + (i %% %s))]
            FROM generate_series(1, %s) AS i
            """,
            [first_team, TEAMS, PEOPLE, first_team, TEAMS, EVENTS],
        )
        cursor.execute("ANALYZE audit_auditevent")
    return time.perf_counter() - began


def _reference(where: str, params: list, offset: int = 0) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM audit_auditevent WHERE {where} ORDER BY at DESC, id DESC LIMIT 50 OFFSET %s",
            [*params, offset],
        )
        return [row[0] for row in cursor.fetchall()]


def _median_ms(call) -> float:
    call()
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def _history(teams) -> None:
    from dutydesk.audit.queries import Filters, events_page

    team = teams[3].pk
    cases = {
        # name: (filters, page, reference WHERE, its parameters)
        "person": (
            Filters(team_ids=(team,), refs=("person:23",)),
            1,
            "team_id = %s AND refs @> ARRAY['person:23']::varchar[]",
            [team],
        ),
        "day": (
            Filters(team_ids=(team,), refs=("day:2026-11-08",)),
            1,
            "team_id = %s AND refs @> ARRAY['day:2026-11-08']::varchar[]",
            [team],
        ),
        "roster": (
            Filters(team_ids=(team,), refs=("roster:63",)),
            1,
            "team_id = %s AND refs @> ARRAY['roster:63']::varchar[]",
            [team],
        ),
        "team": (Filters(team_ids=(team,)), 1, "team_id = %s", [team]),
        "team_page40": (Filters(team_ids=(team,)), 40, "team_id = %s", [team]),
        "concerning": (Filters(concerning=7), 1, "(refs @> ARRAY['person:7']::varchar[] OR actor_id = 7)", []),
        "search_text": (
            Filters(text="回访"),
            1,
            "(target_label ILIKE %s OR reason ILIKE %s OR actor_name ILIKE %s)",
            ["%回访%"] * 3,
        ),
    }
    mismatches = 0
    for name, (filters, page, where, params) in cases.items():
        found = [row["event"].pk for row in events_page(filters, page)["events"]]
        expected = _reference(where, params, offset=(page - 1) * 50)
        assert expected, name
        mismatches += len(set(found) ^ set(expected)) + (found != expected)
        print(f"BENCH audit.events500k.{name}_ms {_median_ms(lambda f=filters, p=page: events_page(f, p)):.1f} ms")
    print(f"BENCH audit.events500k.mismatches {mismatches} rows")


def _retention(team) -> None:
    from django.contrib.auth.models import User

    from dutydesk.models import Profile, Role
    from logbook import privacy, services
    from logbook.models import Entry, Logbook
    from roster.models import DutyShift, ShiftType

    user = User.objects.create_user("bench-retention")
    profile = Profile.objects.create(user=user, name="基准客服", role=Role.AGENT, team=team)
    shift_type = ShiftType.objects.create(team=team, key="day", name="白班", start="09:00", end="18:00")
    closed_at = timezone.now() - timedelta(days=200)
    shift = DutyShift.objects.create(
        team=team,
        shift_type=shift_type,
        date=closed_at.date(),
        headcount=1,
        starts_at=closed_at - timedelta(hours=9),
        ends_at=closed_at,
    )
    logbook = Logbook.objects.create(
        duty_shift=shift,
        profile=profile,
        team=team,
        signed_in_at=shift.starts_at,
        signed_out_at=closed_at,
        submitted_at=closed_at,
    )
    rows = []
    for n in range(ENTRIES):
        entry = Entry(
            logbook=logbook,
            team=team,
            author=profile,
            client_token=uuid.uuid4(),
            created_at=closed_at,
            kind="inquiry",
            customer_name="赵女士",
            customer_phone=f"139{n:08d}",
            customer_ref=f"DD{n:010d}",
            content=f"客户139{n:08d}询问退款进度",
            outcome="已告知",
        )
        services.index_entry(entry)
        rows.append(entry)
    Entry.objects.bulk_create(rows, batch_size=2000)
    began = time.perf_counter()
    run = privacy.purge_personal_data()
    seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM logbook_entry WHERE logbook_id = %s AND (customer_phone <> '' OR customer_name <> '' "
            "OR customer_ref <> '' OR content ~ '1[0-9]{10}' OR search_text LIKE '%%赵女士%%')",
            [logbook.pk],
        )
        left = cursor.fetchone()[0]
    assert run.entries == ENTRIES, run.entries
    print(f"BENCH retention.entries20k.seconds {seconds:.1f} s")
    print(f"BENCH retention.entries20k.left {left} entries")


def main() -> None:
    teams = _teams()
    print(f"BENCH audit.events500k.load_s {_load_events(teams):.1f} s")
    _history(teams)
    _retention(teams[0])

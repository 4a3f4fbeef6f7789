"""R-LOG-7: search over 1,000,000 logbook entries (a company of 20 teams writes about that in a year).

Loads short realistic entries (logbook.demo's generator) in time order with COPY, their tsvectors computed by the
same logbook.search code the service uses, then times the search page's query (logbook.queries.search_entries,
the 26 newest matches) and, for comparison, a plain LIKE. Medians, in ms:

    BENCH logbook.search.entries1m.two_chars_ms        two-character words (退款, 发票 ...), all 20 teams
    BENCH logbook.search.entries1m.phrase_ms           longer phrases (物流延迟, 修改收货地址 ...)
    BENCH logbook.search.entries1m.one_team_two_chars_ms   the same words within one team (a supervisor)
    BENCH logbook.search.entries1m.rare_two_chars_ms / rare_phrase_ms   words in 1 entry of 10,000
    BENCH logbook.search.entries1m.like_two_chars_ms / like_rare_two_chars_ms   LIKE '%...%', newest 26
"""

import random
import statistics
import time
from datetime import time as dtime
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

TOTAL = 1_000_000
TEAMS = 20
RUNS = 9
WEEKS = 52  # a duty day a week per team, over a year



RARE_EVERY = 10_000  # one entry in 10,000 mentions something rare: a search must not scan the table to find it
RARE_CONTENT = "客户反映玻璃杯破损，要求上门取件"


def _pool(rng: random.Random, size: int) -> list[dict]:
    """Realistic short entries (the demo's generator) with the tsvector the service would store. A pool of
    distinct entries, sampled for the million rows: service logs repeat themselves, and it keeps the load fast."""
    from django.utils import translation

    from logbook.demo import entry_data
    from logbook.models import Category
    from logbook.search import vector_text

    with translation.override("zh-hans"):
        labels = {c.value: str(c.label) for c in Category}
    pool = []
    for index in range(size):
        data = {"demand": "", "departments": "", "progress": "", "result_told": "", **entry_data(rng)}
        if index == 0:
            data.update(kind="inquiry", task_type="", category="other", content=RARE_CONTENT, demand="",
                        departments="", progress="", result_told="")
        # The same fields, in the same order, as logbook.services._search_text.
        data["search"] = vector_text(data["content"], data["outcome"], data["demand"], data["departments"],
                                     data["progress"], data["result_told"], "", labels[data["category"]],
                                     data["customer_name"])
        pool.append(data)
    return pool


def _setup():
    from dutydesk.models import Profile, Role, Team
    from logbook.models import Logbook
    from roster.models import DutyShift, ShiftType

    teams, logbooks = [], {}
    start = timezone.localdate() - timedelta(days=365)
    for index in range(TEAMS):
        team = Team.objects.create(name=f"客服{index}组", slug=f"bench-team-{index}")
        shift_type = ShiftType.objects.create(team=team, key="day", name="白班", start=dtime(9), end=dtime(18))
        profile = Profile.objects.create(user=User.objects.create_user(f"bench-agent-{index}"), name=f"坐席{index}",
                                         role=Role.AGENT, team=team)
        teams.append((team, profile))
        for week in range(WEEKS):
            day = start + timedelta(days=7 * week)
            starts, ends = DutyShift.bounds(day, shift_type)
            shift = DutyShift.objects.create(team=team, date=day, shift_type=shift_type, starts_at=starts,
                                             ends_at=ends, headcount=1)
            logbooks.setdefault(team.pk, []).append(
                (Logbook.objects.create(duty_shift=shift, profile=profile, team=team, signed_in_at=starts), starts))
    return teams, logbooks


def _load(teams, logbooks) -> float:
    rng = random.Random(7)
    began = time.perf_counter()
    fields = ("kind", "task_type", "category", "customer_name", "customer_phone", "customer_ref", "content",
              "outcome", "status", "demand", "departments", "progress", "result_told", "search")
    columns = ", ".join(("logbook_id", "team_id", "author_id", "client_token", "created_at", "answer") + fields)
    with connection.cursor() as cursor:
        # A bulk load as pg_restore does it: the secondary indexes are built once afterwards, and foreign keys
        # (the generated rows point at rows created above) are not checked row by row.
        cursor.execute("""
            SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'logbook_entry'
            AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'logbook_entry'::regclass)
        """)
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
        with cursor.cursor.copy(f"COPY logbook_entry ({columns}) FROM STDIN") as copy:
            buffer = []
            pool = _pool(rng, 50_000)
            per_week = TOTAL // WEEKS
            for number in range(TOTAL):
                data = pool[0] if number % RARE_EVERY == RARE_EVERY // 2 else pool[rng.randrange(1, len(pool))]
                team, profile = teams[number % TEAMS]
                # Written in time order, as a logbook is: week by week, minute by minute through the duty day.
                logbook, starts = logbooks[team.pk][min(number // per_week, WEEKS - 1)]
                created = (starts + timedelta(seconds=(number % per_week) * 540 * 60 // per_week)).isoformat()
                buffer.append("\t".join((str(logbook.pk), str(team.pk), str(profile.pk),
                                         f"{number + 1:032x}", created, "",
                                         *(data[name] for name in fields))))
                if len(buffer) == 20_000:
                    copy.write("\n".join(buffer) + "\n")
                    buffer.clear()
            if buffer:
                copy.write("\n".join(buffer) + "\n")
        loaded = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("SET session_replication_role = DEFAULT")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE logbook_entry")
    print(f"BENCH logbook.search.entries1m.copy_s {loaded - began:.1f} s")
    print(f"BENCH logbook.search.entries1m.index_s {time.perf_counter() - loaded:.1f} s")
    return time.perf_counter() - began


def _median_ms(runs, repeat: int = RUNS) -> float:
    """The median of `repeat` timings of each callable (each one search as the page runs it)."""
    timings = []
    for run in runs:
        run()  # warm the cache as a page in use would be
        for _ in range(repeat):
            began = time.perf_counter()
            run()
            timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def main() -> None:
    from logbook.models import Entry
    from logbook.queries import search_entries

    teams, logbooks = _setup()
    seconds = _load(teams, logbooks)
    assert Entry.objects.count() == TOTAL
    print(f"BENCH logbook.search.entries1m.load_s {seconds:.1f} s")
    all_teams = [team.pk for team, _ in teams]
    two_chars = ["退款", "发票", "地址", "破损", "敷衍"]
    phrases = ["物流延迟", "退款进度", "修改收货地址", "七天无理由退货"]

    def search(words, team_ids):
        return [lambda w=w: list(search_entries(w, team_ids=team_ids, limit=26)) for w in words]

    def like(words):
        return [lambda w=w: list(Entry.objects.filter(content__contains=w).order_by("-created_at", "-id")[:26])
                for w in words]

    found = {w: len(list(search_entries(w, team_ids=all_teams, limit=26))) for w in two_chars + phrases}
    assert all(n == 26 for n in found.values()), found
    rare = len(list(search_entries("玻璃杯", team_ids=all_teams, limit=500)))
    assert rare == TOTAL // RARE_EVERY, rare
    print(f"BENCH logbook.search.entries1m.two_chars_ms {_median_ms(search(two_chars, all_teams)):.1f} ms")
    print(f"BENCH logbook.search.entries1m.phrase_ms {_median_ms(search(phrases, all_teams)):.1f} ms")
    print(f"BENCH logbook.search.entries1m.one_team_two_chars_ms {_median_ms(search(two_chars, all_teams[:1])):.1f} ms")
    print(f"BENCH logbook.search.entries1m.rare_two_chars_ms {_median_ms(search(['玻璃'], all_teams)):.1f} ms")
    print(f"BENCH logbook.search.entries1m.rare_phrase_ms {_median_ms(search(['玻璃杯', '上门取件'], all_teams)):.1f} ms")
    # The plain LIKE for comparison: as fast as the index for common words (the newest rows match), but a rare
    # word scans the whole table.
    print(f"BENCH logbook.search.entries1m.like_two_chars_ms {_median_ms(like(two_chars)):.1f} ms")
    print(f"BENCH logbook.search.entries1m.like_rare_two_chars_ms {_median_ms(like(['玻璃']), repeat=3):.1f} ms")

"""Forecast rules, no database: Erlang C against a published worked example, the history, the import file."""

from datetime import date, time, timedelta

import pytest

from forecast import rules
from forecast.rules import Hourly, PlannedShift

WORDS = {
    "empty": "empty",
    "header": "header %(columns)s",
    "date": "date %(value)s",
    "future": "future %(value)s",
    "hour": "hour %(value)s",
    "contacts": "contacts %(value)s",
    "handling": "handling %(value)s",
    "duplicate": "duplicate of %(line)d",
}


# --- Erlang C ------------------------------------------------------------------------------------------------------

# Published worked example: Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example"
# (callcentrehelper.com/erlang-c-formula-example-121281.htm): 100 calls in 30 minutes, average handling time 180 s,
# target 80 % answered in 20 s → 10 Erlangs; with 14 agents the probability a call waits is 17.4 %, the service
# level 88.8 %, the average speed of answer 7.8 s and occupancy 71.4 %, and 14 is the fewest agents that meet the
# target. The same figures (0.174 and 0.888 at 14 agents, 0.714 occupancy) are pinned in pyworkforce's own tests
# (pyworkforce/queuing/tests/test_erlang.py), an implementation that shares no code with ours.
CALLS_PER_HOUR, HANDLING_S, ANSWER_S = 200, 180, 20


def test_erlang_c_matches_the_published_worked_example():
    traffic = rules.traffic_of(CALLS_PER_HOUR, HANDLING_S)
    assert traffic == 10
    assert round(rules.erlang_c(14, traffic), 3) == 0.174
    assert round(rules.service_level(14, traffic, handling_s=HANDLING_S, answer_s=ANSWER_S), 3) == 0.888
    assert round(rules.erlang_c(14, traffic) * HANDLING_S / (14 - traffic), 1) == 7.8  # average speed of answer
    assert round(traffic / 14, 3) == 0.714  # occupancy
    assert rules.required_agents(CALLS_PER_HOUR, handling_s=HANDLING_S, answered_pct=80, answer_s=ANSWER_S) == 14


def test_erlang_c_one_agent_fewer_misses_the_target():
    # 13 agents answer just under 80 % in 20 s: the example's reason for 14.
    level = rules.service_level(13, 10, handling_s=HANDLING_S, answer_s=ANSWER_S)
    assert 0.79 < level < 0.80


def test_erlang_c_closed_forms():
    # M/M/1: a contact waits with probability A (the utilisation); M/M/2 at 1 Erlang: 1/3.
    assert rules.erlang_c(1, 0.5) == pytest.approx(0.5)
    assert rules.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # No more agents than Erlangs: the queue never empties, everyone waits.
    assert rules.erlang_c(10, 10) == 1.0
    assert rules.service_level(10, 10, handling_s=180, answer_s=20) == 0.0


def test_required_agents_no_contacts_needs_nobody():
    assert rules.required_agents(0, handling_s=180, answered_pct=80, answer_s=20) == 0


def test_required_agents_grows_with_volume_and_stricter_targets():
    lenient = rules.required_agents(42, handling_s=240, answered_pct=80, answer_s=20)
    assert lenient == 5  # 2.8 Erlangs: four agents answer 72 % in 20 s, five 90 %
    assert rules.required_agents(42, handling_s=240, answered_pct=95, answer_s=20) > lenient
    assert rules.required_agents(84, handling_s=240, answered_pct=80, answer_s=20) > lenient


def test_required_agents_large_volume_stops_at_the_most():
    assert rules.required_agents(10**6, handling_s=600, answered_pct=80, answer_s=20, most=50) == 50


# --- shifts and history ----------------------------------------------------------------------------------------------


def _shift(day, start, end, **kw):
    return PlannedShift(
        date=day, shift_type_id=1, name="夜班", start=start, end=end, headcount=kw.pop("headcount", 2), **kw
    )


def test_shift_hours_day_evening_and_overnight():
    day = date(2027, 1, 2)
    assert _shift(day, time(9), time(18)).hours() == list(range(9, 18))
    assert _shift(day, time(18), time(0)).hours() == list(range(18, 24))
    assert _shift(day, time(22), time(6)).hours() == [22, 23, 0, 1, 2, 3, 4, 5]
    assert _shift(day, time(9, 30), time(12, 30)).hours() == [9, 10, 11, 12]


def _saturdays(last: date, n: int):
    return [last - timedelta(weeks=k) for k in range(n)]


def test_baseline_uses_the_same_weekday_and_the_latest_eight():
    today = date(2027, 1, 1)
    history = {day: {20: Hourly(10 + k)} for k, day in enumerate(reversed(_saturdays(date(2026, 12, 26), 10)))}
    history[date(2026, 12, 27)] = {20: Hourly(500)}  # a Sunday: not in a Saturday's baseline
    means, used = rules.baseline(history, set(), weekday=5, before=today)
    assert len(used) == 8 and all(day.weekday() == 5 for day in used)
    assert means == {20: sum(range(12, 20)) / 8}


def test_baseline_leaves_promotion_days_out():
    history = {date(2026, 12, 12): {20: Hourly(900)}, date(2026, 12, 19): {20: Hourly(30)}}
    means, used = rules.baseline(history, {date(2026, 12, 12)}, weekday=5, before=date(2027, 1, 1))
    assert means == {20: 30} and used == [date(2026, 12, 19)]


def test_uplift_learnt_from_past_promotion_days():
    ordinary = {day: {20: Hourly(20)} for day in _saturdays(date(2026, 12, 5), 8)}
    history = {**ordinary, date(2026, 12, 12): {20: Hourly(50)}}
    uplift = rules.learn_uplift(history, {date(2026, 12, 12)}, before=date(2027, 1, 1))
    assert uplift == rules.Uplift(2.5, (date(2026, 12, 12),))


def test_uplift_without_a_past_promotion_day_is_one():
    history = {day: {20: Hourly(20)} for day in _saturdays(date(2026, 12, 5), 4)}
    assert rules.learn_uplift(history, set(), before=date(2027, 1, 1)) == rules.Uplift()


def test_suggest_peak_hour_promotion_uplift_and_minimum():
    today = date(2027, 1, 1)
    history = {day: {19: Hourly(30), 20: Hourly(42)} for day in _saturdays(date(2026, 12, 26), 8)}
    history[date(2026, 12, 12)] = {19: Hourly(60), 20: Hourly(84)}  # 双12: twice an ordinary Saturday
    night = _shift(date(2027, 1, 9), time(18), time(0))
    promotion_night = _shift(date(2027, 1, 16), time(18), time(0), promotion=True)
    morning = _shift(date(2027, 1, 9), time(6), time(9), headcount=1)
    target = rules.Target(80, 20, 240)
    suggestions, uplift = rules.suggest(
        [night, promotion_night, morning], history, {date(2026, 12, 12)}, target, today=today
    )
    assert uplift.factor == 2.0
    by_shift = {s.shift: s for s in suggestions}
    assert (by_shift[night].peak_hour, by_shift[night].contacts_per_hour, by_shift[night].agents) == (20, 42, 5)
    assert by_shift[promotion_night].contacts_per_hour == 84
    assert by_shift[promotion_night].agents == rules.required_agents(84, handling_s=240, answered_pct=80, answer_s=20)
    # No contacts at all in the morning hours: the database's minimum of one person.
    assert (by_shift[morning].peak_hour, by_shift[morning].agents) == (None, 1)


def test_handling_time_from_imported_volume_else_the_default():
    day = date(2026, 12, 26)
    assert rules.handling_time({day: {20: Hourly(10, 3000), 21: Hourly(10, 1000)}}, [day], 240) == 200
    assert rules.handling_time({day: {20: Hourly(10)}}, [day], 240) == 240


def test_imported_volume_wins_for_the_dates_it_covers():
    logbook = {(date(2026, 12, 19), 20): 3, (date(2026, 12, 26), 20): 4}
    imported = {date(2026, 12, 26): {20: Hourly(40, 40 * 200)}}
    merged = rules.merge_history(logbook, imported)
    assert merged == {date(2026, 12, 19): {20: Hourly(3)}, date(2026, 12, 26): {20: Hourly(40, 8000)}}


# --- the import file ---------------------------------------------------------------------------------------------------


def _table(*rows):
    return [(i + 1, list(row)) for i, row in enumerate(rows)]


def test_parse_volume_every_bad_row_listed():
    table = _table(
        ("日期", "小时", "咨询量", "平均处理时长(秒)"),
        ("2026-11-07", "20", "42", "240"),
        ("2026-11-31", "20", "42", "240"),
        ("2026-11-07", "24", "-3", "0"),
        ("2026-11-07", "20", "40", "200"),
        ("2027-05-01", "9", "1", "100"),
        ("2026/11/08", "9", "12", "180"),
    )
    rows, errors = rules.parse_volume(table, today=date(2026, 12, 7), words=WORDS)
    assert rows == [
        rules.VolumeRow(2, date(2026, 11, 7), 20, 42, 240),
        rules.VolumeRow(7, date(2026, 11, 8), 9, 12, 180),
    ]
    assert errors == [
        rules.RowError(3, "date 2026-11-31"),
        rules.RowError(4, "hour 24; contacts -3; handling 0"),
        rules.RowError(5, "duplicate of 2"),
        rules.RowError(6, "future 2027-05-01"),
    ]


def test_parse_volume_english_headers_in_any_order():
    table = _table(("Contacts", "Date", "Average handling seconds", "Hour"), ("42", "2026-11-07", "240", "20"))
    rows, errors = rules.parse_volume(table, today=date(2026, 12, 7), words=WORDS)
    assert (rows, errors) == ([rules.VolumeRow(2, date(2026, 11, 7), 20, 42, 240)], [])


def test_parse_volume_missing_column_is_one_error():
    rows, errors = rules.parse_volume(_table(("date", "hour", "contacts")), today=date(2026, 12, 7), words=WORDS)
    assert rows == [] and errors == [rules.RowError(1, "header handling_s")]


def test_parse_volume_header_only_is_empty():
    table = _table(("date", "hour", "contacts", "aht"))
    assert rules.parse_volume(table, today=date(2026, 12, 7), words=WORDS) == ([], [rules.RowError(1, "empty")])

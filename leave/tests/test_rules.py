"""leave.rules: the allowed moves, notice and emergency timing, substitutes and swaps; no database."""

from datetime import date, datetime, time, timedelta, timezone

from leave import rules as r
from roster.instance import Agent, Assignment, DutyDay, Instance, Settings, Shift

SAT, SUN, SAT2, SUN2 = date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 12), date(2026, 12, 13)
DAY = Shift("day", "Day", time(9), time(18), headcount=2, skills=frozenset({"refund"}))
NIGHT = Shift("night", "Night", time(18), time(0), night=True, skills=frozenset({"refund"}))
START = datetime(2026, 12, 5, 9, tzinfo=timezone.utc)


def agent(agent_id: int, name: str, **fields) -> Agent:
    fields.setdefault("skills", frozenset({"refund"}))
    return Agent(id=agent_id, name=name, **fields)


def month(*agents: Agent) -> Instance:
    return Instance(
        "2026-12", tuple(agents), tuple(DutyDay(d, shifts=(DAY, NIGHT)) for d in (SAT, SUN, SAT2, SUN2)), Settings()
    )


TEAM = month(
    agent(1, "A"),
    agent(2, "B"),
    agent(3, "C"),
    agent(4, "D"),
    agent(5, "E", qualified=False),
    agent(6, "F", skills=frozenset()),
    agent(7, "G", leave=frozenset({SAT})),
)
ROSTER = [
    Assignment(1, SAT, "day"),
    Assignment(2, SAT, "day"),
    Assignment(3, SAT, "night"),
    Assignment(3, SUN, "day"),
    Assignment(4, SUN, "day"),
    Assignment(2, SUN, "night"),
    Assignment(4, SAT2, "day"),
    Assignment(4, SUN2, "day"),
]


def test_leave_moves_allow_two_levels_and_withdraw_until_decided():
    assert r.may_move(r.LEAVE_MOVES, "awaiting_lead", "awaiting_supervisor") is True
    assert r.may_move(r.LEAVE_MOVES, "awaiting_supervisor", "approved") is True
    assert r.may_move(r.LEAVE_MOVES, "awaiting_lead", "approved") is False  # R-LEAVE-2: no skipping the lead
    assert [
        r.may_move(r.LEAVE_MOVES, s, "withdrawn")
        for s in ("awaiting_lead", "awaiting_supervisor", "approved", "rejected")
    ] == [True, True, False, False]


def test_swap_moves_need_colleague_then_lead():
    assert r.may_move(r.SWAP_MOVES, "awaiting_colleague", "approved") is False  # R-SWAP-2: both sign first
    assert r.may_move(r.SWAP_MOVES, "awaiting_colleague", "awaiting_lead") is True
    assert r.may_move(r.SWAP_MOVES, "awaiting_lead", "approved") is True
    assert r.may_move(r.SWAP_MOVES, "declined", "awaiting_lead") is False


def test_notice_refusal_at_the_boundaries():
    assert r.notice_refusal(shift_start=START, now=START - timedelta(hours=24), notice_hours=24) is None
    assert (
        r.notice_refusal(shift_start=START, now=START - timedelta(hours=23, minutes=59), notice_hours=24)
        == "short_notice"
    )
    assert r.notice_refusal(shift_start=START, now=START, notice_hours=24) == "started"
    assert r.notice_refusal(shift_start=START, now=START - timedelta(hours=47), notice_hours=48) == "short_notice"


def test_emergency_deadline_is_one_hour_after_start():
    assert r.emergency_deadline(START) == START + timedelta(hours=1)
    assert r.emergency_refusal(shift_start=START, now=START + timedelta(minutes=60)) is None
    assert r.emergency_refusal(shift_start=START, now=START + timedelta(minutes=61)) == "late"
    assert r.is_overdue(shift_start=START, now=START + timedelta(hours=2), written=False) is True
    assert r.is_overdue(shift_start=START, now=START + timedelta(hours=2), written=True) is False
    assert r.is_overdue(shift_start=START, now=START + timedelta(minutes=30), written=False) is False


def test_substitutes_qualified_free_fewest_shifts_first():
    found = r.substitute_suggestions(TEAM, ROSTER, leaver_id=1, day=SAT, shift_key="day")
    # C works the night that day, E is a new hire, F lacks the skill, G is on leave; D has 3 shifts.
    assert found == [r.Suggestion(4, "D", 3)]
    assert r.substitute_suggestions(TEAM, ROSTER, leaver_id=3, day=SAT, shift_key="night") == [r.Suggestion(4, "D", 3)]


def test_substitutes_respect_consecutive_nights():
    team = month(agent(1, "A"), agent(2, "B"))
    nights = [
        Assignment(2, SAT, "night"),
        Assignment(2, SUN, "night"),
        Assignment(2, SAT2, "night"),
        Assignment(1, SUN2, "night"),
    ]
    assert r.substitute_suggestions(team, nights, leaver_id=1, day=SUN2, shift_key="night") == []


def test_swap_problem_accepts_a_valid_exchange():
    assert r.swap_problem(TEAM, ROSTER, requester_id=1, colleague_id=4, give=(SAT, "day"), take=(SUN, "day")) is None


def test_swap_problem_names_the_broken_rule():
    new_hire = r.swap_problem(TEAM, ROSTER, requester_id=1, colleague_id=5, give=(SAT, "day"), take=None)
    no_skill = r.swap_problem(TEAM, ROSTER, requester_id=1, colleague_id=6, give=(SAT, "day"), take=None)
    on_leave = r.swap_problem(TEAM, ROSTER, requester_id=1, colleague_id=7, give=(SAT, "day"), take=None)
    busy = r.swap_problem(TEAM, ROSTER, requester_id=1, colleague_id=3, give=(SAT, "day"), take=None)
    not_held = r.swap_problem(TEAM, ROSTER, requester_id=1, colleague_id=4, give=(SUN, "day"), take=None)
    assert [v.code for v in (new_hire, no_skill, on_leave, busy, not_held)] == [
        "unqualified_alone",
        "missing_skill",
        "on_leave",
        "too_many_per_day",
        "not_held",
    ]


def test_swap_problem_a_colleague_on_the_same_shift_cannot_take_it_over():
    # R-SWAP-1: not a headcount problem (the shift would lose one person): they already hold it.
    roster = ROSTER + [Assignment(4, SAT, "day", "member")]
    problem = r.swap_problem(TEAM, roster, requester_id=1, colleague_id=4, give=(SAT, "day"), take=None)
    mine = r.swap_problem(TEAM, roster, requester_id=4, colleague_id=1, give=(SUN, "day"), take=(SAT, "day"))
    assert [(p.code, p.agent, p.date, p.shift) for p in (problem, mine)] == [
        ("already_on_shift", 4, SAT, "day"),
        ("already_on_shift", 4, SAT, "day"),
    ]


def test_swap_result_keeps_roles():
    roster = [Assignment(1, SAT, "day", "primary"), Assignment(2, SUN, "day", "backup")]
    assert sorted(
        r.swap_result(roster, requester_id=1, colleague_id=2, give=(SAT, "day"), take=(SUN, "day")),
        key=lambda a: a.date,
    ) == [Assignment(2, SAT, "day", "primary"), Assignment(1, SUN, "day", "backup")]


def test_rule_states_are_the_models_states():
    """One source: the allowed-moves tables speak the models' states, and name every one of them."""
    from leave.models import LeaveState, SwapState

    leave_states = set(r.LEAVE_MOVES) | set().union(*r.LEAVE_MOVES.values())
    swap_states = set(r.SWAP_MOVES) | set().union(*r.SWAP_MOVES.values())
    assert (sorted(leave_states), sorted(swap_states)) == (sorted(LeaveState.values), sorted(SwapState.values))
    assert (r.AWAITING_LEAD, r.AWAITING_SUPERVISOR, r.APPROVED, r.REJECTED, r.WITHDRAWN) == (
        LeaveState.AWAITING_LEAD,
        LeaveState.AWAITING_SUPERVISOR,
        LeaveState.APPROVED,
        LeaveState.REJECTED,
        LeaveState.WITHDRAWN,
    )
    assert (r.AWAITING_COLLEAGUE, r.AWAITING_LEAD, r.APPROVED, r.DECLINED, r.REJECTED, r.WITHDRAWN) == (
        SwapState.AWAITING_COLLEAGUE,
        SwapState.AWAITING_LEAD,
        SwapState.APPROVED,
        SwapState.DECLINED,
        SwapState.REJECTED,
        SwapState.WITHDRAWN,
    )

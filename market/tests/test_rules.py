"""market.rules on plain values (no database): fair order and cap (issue 24 item 4), the taker's role (R-ROSTER-7),
the give-away deadline (item 2), the allowed moves, and the plain strings equal to the models' choices."""

from datetime import datetime, timedelta, timezone

from market import rules
from market.models import ClaimState, FairOrder, OfferKind, OfferState

T0 = datetime(2027, 1, 31, 9, tzinfo=timezone.utc)


def test_fewest_duty_shifts_first_then_the_earliest_claim():
    claims = [
        rules.Candidate(1, 11, T0, 5),
        rules.Candidate(2, 12, T0 + timedelta(minutes=1), 2),
        rules.Candidate(3, 13, T0 + timedelta(minutes=2), 2),
        rules.Candidate(4, 14, T0 + timedelta(minutes=3), 0),
    ]
    assert [c.claim_id for c in rules.fair_order(claims)] == [4, 2, 3, 1]
    assert [c.claim_id for c in rules.fair_order(claims, rules.EARLIEST)] == [1, 2, 3, 4]


def test_the_monthly_cap_stops_at_the_limit_and_zero_means_none():
    assert [rules.over_cap(taken_this_month=n, cap=2) for n in (0, 1, 2, 3)] == [False, False, True, True]
    assert rules.over_cap(taken_this_month=30, cap=0) is False


def test_an_open_place_completes_the_a_b_pair_on_a_promotion_day():
    assert rules.role_for_open_place(promotion=False, roles_on_shift=["member"]) == "member"
    assert rules.role_for_open_place(promotion=True, roles_on_shift=[]) == "primary"
    assert rules.role_for_open_place(promotion=True, roles_on_shift=["primary", "backup"]) == "backup"


def test_the_lead_is_told_once_after_the_deadline_of_an_open_give_away():
    deadline = rules.give_away_deadline(T0, 48)
    assert deadline == T0 - timedelta(hours=48)
    told = [
        rules.lead_to_be_told(deadline=deadline, now=deadline - timedelta(seconds=1), told=False, is_open=True),
        rules.lead_to_be_told(deadline=deadline, now=deadline, told=False, is_open=True),
        rules.lead_to_be_told(deadline=deadline, now=deadline, told=True, is_open=True),
        rules.lead_to_be_told(deadline=deadline, now=deadline, told=False, is_open=False),
    ]
    assert told == [False, True, False, False]


def test_a_started_shift_is_too_late():
    assert (rules.too_late(shift_start=T0, now=T0), rules.too_late(shift_start=T0, now=T0 - timedelta(1))) == (
        True,
        False,
    )


def test_moves_and_plain_strings_match_the_models():
    assert rules.may_move(rules.CLAIM_MOVES, rules.WAITING, rules.APPROVED)
    assert not rules.may_move(rules.CLAIM_MOVES, rules.APPROVED, rules.WITHDRAWN)
    assert not rules.may_move(rules.OFFER_MOVES, rules.TAKEN, rules.OPEN)
    assert set(rules.OFFER_KINDS) == set(OfferKind.values)
    assert {rules.OPEN, rules.TAKEN, rules.WITHDRAWN} == set(OfferState.values)
    assert {rules.WAITING, rules.APPROVED, rules.NOT_CHOSEN, rules.WITHDRAWN} == set(ClaimState.values)
    assert {rules.FEWEST_SHIFTS, rules.EARLIEST} == set(FairOrder.values)

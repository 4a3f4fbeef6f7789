"""The appraisal's computations with hand-checked numbers (R-APP-2..5, R-ATT-7). No database."""

from decimal import Decimal as D

from appraisal.rules import (
    AgentInputs,
    AppraisalSettings,
    accuracy_score,
    band_of,
    composite_band,
    composite_of,
    compute_month,
    discipline_score,
    is_satisfied,
    on_time_pct,
    rank,
    rating_score,
    satisfaction_pct,
    survey_key,
)

DEFAULTS = AppraisalSettings()

# A: 2 evaluations, 19 of 20 satisfied, 9 of 10 replies in time, marks 100/100/70, late once.
A = AgentInputs(
    1,
    duty_shifts=4,
    evaluations=((5, 5, 4, 4, 5), (4, 4, 4, 4, 5)),
    surveys_total=20,
    surveys_satisfied=19,
    promised_replies_due=10,
    promised_replies_on_time=9,
    accuracy_marks=("accurate", "accurate", "few_errors"),
    discipline={"late": 1},
)
# B: average everything, no logbook figures: on-time and accuracy have no value.
B = AgentInputs(
    2,
    duty_shifts=2,
    evaluations=((3, 3, 3, 3, 3),),
    surveys_total=5,
    surveys_satisfied=3,
    discipline={"absence": 1, "late": 2},
)
# C: a failing month.
C = AgentInputs(
    3, duty_shifts=3, evaluations=((2, 2, 2, 2, 1),), surveys_total=4, surveys_satisfied=1, discipline={"demerit": 1}
)
NO_DUTY = AgentInputs(4, surveys_total=0)
UNRATED = AgentInputs(5, duty_shifts=1)


def test_satisfaction_pct_share_of_satisfied_rounded_half_up():
    assert [satisfaction_pct(19, 20), satisfaction_pct(2, 3), satisfaction_pct(1, 16), satisfaction_pct(0, 0)] == [
        D("95.0"),
        D("66.7"),
        D("6.3"),
        None,
    ]


def test_on_time_pct_without_promised_replies_is_none():
    assert [on_time_pct(9, 10), on_time_pct(0, 0)] == [D("90.0"), None]


def test_accuracy_score_mean_of_mark_points():
    assert accuracy_score(("accurate", "accurate", "few_errors")) == D("90.0")
    assert accuracy_score(("many_errors", "few_errors")) == D("50.0")
    assert accuracy_score(()) is None


def test_rating_score_mean_times_twenty():
    assert [rating_score([5, 5, 4, 4, 4, 4, 4, 4]), rating_score([3]), rating_score([])] == [D("85.0"), D("60.0"), None]


def test_discipline_score_points_off_never_below_zero():
    assert discipline_score({}) == D("100.0")
    assert discipline_score({"late": 1}) == D("95.0")
    assert discipline_score({"absence": 1, "late": 2}) == D("70.0")
    assert discipline_score({"demerit": 3, "absence": 1}) == D("0.0")
    assert discipline_score({"unapproved_swap": 1, "early_leave": 1, "unknown": 4}) == D("85.0")


def test_is_satisfied_per_scale():
    assert [
        is_satisfied("five", 4),
        is_satisfied("five", 3),
        is_satisfied("percent", 80),
        is_satisfied("percent", 79),
        is_satisfied("binary", 1),
        is_satisfied("binary", 0),
    ] == [True, False, True, False, True, False]


def test_survey_key_reference_or_score_and_occurrence():
    assert [
        survey_key(" Q-17 ", "five", 5, 0),
        survey_key("", "five", 5, 0),
        survey_key("", "five", 5, 1),
        survey_key("", "binary", 1, 0),
    ] == ["ref:Q-17", "row:five:5:0", "row:five:5:1", "row:binary:1:0"]


def test_band_of_thresholds_inclusive_r_app_3():
    assert [
        band_of(D("95.0"), 95, 85),
        band_of(D("94.9"), 95, 85),
        band_of(D("85.0"), 95, 85),
        band_of(D("84.9"), 95, 85),
        band_of(None, 95, 85),
    ] == ["excellent", "good", "good", "average", ""]


def test_composite_band_fails_below_pass_mark():
    assert [
        composite_band(D("90"), 90, 80, 60),
        composite_band(D("80"), 90, 80, 60),
        composite_band(D("60"), 90, 80, 60),
        composite_band(D("59.9"), 90, 80, 60),
    ] == ["excellent", "good", "average", "poor"]


def test_composite_of_shares_missing_weight_among_present_metrics():
    metrics = {
        "satisfaction": D(60),
        "on_time": None,
        "accuracy": None,
        "attitude": D(60),
        "evaluation": D(60),
        "discipline": D(70),
    }
    # (30*60 + 15*60 + 10*60 + 10*70) / 65 = 4000 / 65 = 61.538...
    assert composite_of(metrics, DEFAULTS.weights) == D("61.5")


def test_rank_competition_ranking():
    assert rank({1: D(95), 2: D(95), 3: D(90), 4: D(80)}) == {1: 1, 2: 1, 3: 3, 4: 4}


def test_compute_month_hand_checked_team():
    results = {r.profile_id: r for r in compute_month([C, A, B, NO_DUTY, UNRATED], DEFAULTS, {1: (2, 0), 3: (0, 2)})}
    a = results[1]
    assert a.metrics == {
        "satisfaction": D("95.0"),
        "on_time": D("90.0"),
        "accuracy": D("90.0"),
        "attitude": D("100.0"),
        "evaluation": D("85.0"),
        "discipline": D("95.0"),
    }
    assert a.bands == {
        "satisfaction": "excellent",
        "on_time": "good",
        "accuracy": "excellent",
        "attitude": "excellent",
        "evaluation": "good",
        "discipline": "good",
    }
    # (30*95 + 20*90 + 15*90 + 15*100 + 10*85 + 10*95) / 100 = 9300 / 100
    assert (a.status, a.composite, a.band, a.rank, a.is_excellent_agent) == ("rated", D("93.0"), "excellent", 1, True)
    assert (a.excellent_streak, a.reward_flag, a.failing_streak, a.review_flag, a.deduction) == (3, True, 0, False, 0)

    b = results[2]
    assert (b.composite, b.band, b.rank, b.is_excellent_agent, b.deduction) == (D("61.5"), "average", 2, False, 0)
    assert b.bands["on_time"] == "" and b.bands["accuracy"] == ""

    c = results[3]
    # (30*25 + 15*20 + 10*40 + 10*70) / 65 = 2150 / 65 = 33.07...
    assert (c.composite, c.band, c.rank) == (D("33.1"), "poor", 3)
    assert (c.failing_streak, c.review_flag, c.deduction, c.excellent_streak) == (3, True, 10, 0)


def test_compute_month_agent_without_duty_is_not_appraised():
    [result] = compute_month([NO_DUTY], DEFAULTS)
    assert (result.status, result.composite, result.band, result.rank, result.metrics["discipline"]) == (
        "no_duty",
        None,
        "",
        None,
        None,
    )


def test_compute_month_on_duty_without_evaluations_or_surveys_is_not_rated():
    [result] = compute_month([UNRATED], DEFAULTS)
    assert (result.status, result.composite, result.band, result.rank, result.is_excellent_agent) == (
        "unrated",
        None,
        "",
        None,
        False,
    )
    assert result.metrics["discipline"] == D("100.0")


def test_compute_month_empty_month_names_nobody():
    assert compute_month([], DEFAULTS) == []
    results = compute_month([NO_DUTY, UNRATED], DEFAULTS)
    assert [r.is_excellent_agent for r in results] == [False, False]


def test_excellent_agent_ties_share_the_title_r_app_4():
    twin = AgentInputs(
        7,
        duty_shifts=4,
        evaluations=A.evaluations,
        surveys_total=20,
        surveys_satisfied=19,
        promised_replies_due=10,
        promised_replies_on_time=9,
        accuracy_marks=A.accuracy_marks,
        discipline={"late": 1},
    )
    results = compute_month([A, twin, B], DEFAULTS)
    assert [(r.profile_id, r.rank, r.is_excellent_agent) for r in results] == [
        (1, 1, True),
        (2, 3, False),
        (7, 1, True),
    ]


def test_no_excellent_agent_when_best_is_not_excellent():
    results = compute_month([B, C], DEFAULTS)
    assert [r.is_excellent_agent for r in results] == [False, False]


def test_reward_every_full_run_of_n_excellent_months_r_app_5():
    flags = [compute_month([A], DEFAULTS, {1: (before, 0)})[0] for before in (0, 1, 2, 3, 5)]
    assert [(r.excellent_streak, r.reward_flag) for r in flags] == [
        (1, False),
        (2, False),
        (3, True),
        (4, False),
        (6, True),
    ]


def test_dismissal_review_from_n_failing_months_and_excellent_breaks_it():
    flags = [compute_month([C], DEFAULTS, {3: (0, before)})[0] for before in (0, 1, 2, 4)]
    assert [(r.failing_streak, r.review_flag, r.deduction) for r in flags] == [
        (1, False, 10),
        (2, False, 10),
        (3, True, 10),
        (5, True, 10),
    ]
    assert compute_month([A], DEFAULTS, {1: (0, 5)})[0].failing_streak == 0


def test_team_settings_change_weights_thresholds_and_deduction():
    settings = AppraisalSettings(
        weights={"satisfaction": 50, "on_time": 0, "accuracy": 0, "attitude": 50, "evaluation": 0, "discipline": 0},
        satisfaction_excellent=90,
        satisfaction_good=50,
        composite_excellent=95,
        composite_good=70,
        composite_pass=50,
        reward_after_months=2,
        review_after_months=1,
        poor_month_deduction=25,
    )
    a, b, c = compute_month([A, B, C], settings)
    # A: (50*95 + 50*100) / 100 = 97.5; B: (50*60 + 50*60) / 100 = 60; C: (50*25 + 50*20) / 100 = 22.5
    assert [(r.composite, r.band) for r in (a, b, c)] == [
        (D("97.5"), "excellent"),
        (D("60.0"), "average"),
        (D("22.5"), "poor"),
    ]
    assert b.bands["satisfaction"] == "good"
    assert (c.review_flag, c.deduction) == (True, 25)

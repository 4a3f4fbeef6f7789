"""The appraisal rules as pure functions on plain values (R-APP-1..5, R-ATT-7). No ORM here.

Every metric is a number from 0 to 100, rounded half up to one decimal, or None when there is nothing to measure.
The composite weighs the metrics that have a value; the weight of a metric without data is shared out among the
others (a month without promised replies is neither good nor bad for on-time resolution).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

EXCELLENT, GOOD, AVERAGE, POOR = "excellent", "good", "average", "poor"
RATED, NO_DUTY, UNRATED = "rated", "no_duty", "unrated"

METRICS = ("satisfaction", "on_time", "accuracy", "attitude", "evaluation", "discipline")

# R-APP-2: a survey answer counts as satisfied from 4 of 5 points or 80 of 100 points.
SATISFIED_FROM = {"five": 4, "percent": 80, "binary": 1}
# R-APP-3 record accuracy: accurate / few errors / many errors, as points of the logbook reviews.
ACCURACY_POINTS = {"accurate": 100, "few_errors": 70, "many_errors": 30}
# R-ATT-7: points each discipline record takes off a month's discipline score (100 = a clean month).
DISCIPLINE_POINTS = {"late": 5, "early_leave": 5, "unapproved_swap": 10, "absence": 20, "demerit": 30}
# Ratings are 1-5 (R-APP-1); as a metric, rating x 20. Bands: average rating 4.5+ excellent, 3.5+ good.
RATING_EXCELLENT, RATING_GOOD = Decimal(90), Decimal(70)
ACCURACY_EXCELLENT, ACCURACY_GOOD = Decimal(90), Decimal(60)
DISCIPLINE_EXCELLENT, DISCIPLINE_GOOD = Decimal(100), Decimal(80)

ONE_DECIMAL = Decimal("0.1")


def rounded(value: Decimal | int | float | str) -> Decimal:
    return Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return rounded(Decimal(100) * part / whole)


# --- Inputs of a survey row (R-APP-2) ---------------------------------------------------------------------------


def is_satisfied(scale: str, score: int) -> bool:
    return score >= SATISFIED_FROM[scale]


def survey_key(reference: str, scale: str, score: int, occurrence: int) -> str:
    """Natural key of a survey row for one person and date: the survey's reference when the file has one;
    otherwise the score and how many identical rows came before it in the file (two customers may give the same
    score on the same day, and importing the same rows again must add nothing)."""
    reference = reference.strip()
    return f"ref:{reference}"[:100] if reference else f"row:{scale}:{score}:{occurrence}"


# --- Metrics ----------------------------------------------------------------------------------------------------


def satisfaction_pct(satisfied: int, total: int) -> Decimal | None:
    """R-APP-3: share of survey answers that are satisfied."""
    return percent(satisfied, total)


def on_time_pct(on_time: int, due: int) -> Decimal | None:
    """R-APP-3, R-LOG-2: share of promised replies answered by the promised time."""
    return percent(on_time, due)


def accuracy_score(marks: tuple[str, ...]) -> Decimal | None:
    """R-APP-3: mean points of the record-accuracy marks of the month's reviewed logbooks."""
    points = [ACCURACY_POINTS[mark] for mark in marks if mark in ACCURACY_POINTS]
    if not points:
        return None
    return rounded(Decimal(sum(points)) / len(points))


def rating_score(ratings: list[int]) -> Decimal | None:
    """Mean of 1-5 ratings as 0-100 (x 20)."""
    if not ratings:
        return None
    return rounded(Decimal(sum(ratings)) * 20 / len(ratings))


def discipline_score(records: dict[str, int]) -> Decimal:
    """R-ATT-7: 100 minus the points of the month's discipline records, never below 0."""
    taken = sum(DISCIPLINE_POINTS.get(kind, 0) * count for kind, count in records.items())
    return rounded(max(0, 100 - taken))


# --- Bands (R-APP-3) ---------------------------------------------------------------------------------------------


def band_of(value: Decimal | None, excellent: Decimal | int, good: Decimal | int) -> str:
    if value is None:
        return ""
    if value >= excellent:
        return EXCELLENT
    if value >= good:
        return GOOD
    return AVERAGE


def composite_band(value: Decimal, excellent: Decimal | int, good: Decimal | int, passing: Decimal | int) -> str:
    """The whole month: excellent / good / average, or failing below the pass mark (R-APP-5)."""
    if value < passing:
        return POOR
    return band_of(value, excellent, good)


# --- One month of one team ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppraisalSettings:
    weights: dict[str, int] = field(
        default_factory=lambda: {
            "satisfaction": 30,
            "on_time": 20,
            "accuracy": 15,
            "attitude": 15,
            "evaluation": 10,
            "discipline": 10,
        }
    )
    satisfaction_excellent: int = 95
    satisfaction_good: int = 85
    on_time_excellent: int = 95
    on_time_good: int = 85
    composite_excellent: int = 90
    composite_good: int = 80
    composite_pass: int = 60
    reward_after_months: int = 3
    review_after_months: int = 3
    poor_month_deduction: int = 10

    def as_dict(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            **{
                name: getattr(self, name)
                for name in (
                    "satisfaction_excellent",
                    "satisfaction_good",
                    "on_time_excellent",
                    "on_time_good",
                    "composite_excellent",
                    "composite_good",
                    "composite_pass",
                    "reward_after_months",
                    "review_after_months",
                    "poor_month_deduction",
                )
            },
        }


@dataclass(frozen=True)
class AgentInputs:
    profile_id: int
    duty_shifts: int = 0
    # One (inquiry, complaint, business, records, attitude) tuple of 1-5 ratings per daily evaluation (R-APP-1).
    evaluations: tuple[tuple[int, int, int, int, int], ...] = ()
    surveys_total: int = 0
    surveys_satisfied: int = 0
    promised_replies_due: int = 0
    promised_replies_on_time: int = 0
    accuracy_marks: tuple[str, ...] = ()
    discipline: dict[str, int] = field(default_factory=dict)


@dataclass
class AgentResult:
    profile_id: int
    status: str
    metrics: dict[str, Decimal | None]
    bands: dict[str, str]
    composite: Decimal | None = None
    band: str = ""
    rank: int | None = None
    is_excellent_agent: bool = False
    excellent_streak: int = 0
    failing_streak: int = 0
    reward_flag: bool = False
    review_flag: bool = False
    deduction: int = 0


def metrics_of(inputs: AgentInputs) -> dict[str, Decimal | None]:
    ratings = inputs.evaluations
    return {
        "satisfaction": satisfaction_pct(inputs.surveys_satisfied, inputs.surveys_total),
        "on_time": on_time_pct(inputs.promised_replies_on_time, inputs.promised_replies_due),
        "accuracy": accuracy_score(inputs.accuracy_marks),
        "attitude": rating_score([r[4] for r in ratings]),
        # R-APP-1: inquiry, complaint, business handling and record keeping, every rating of the month.
        "evaluation": rating_score([value for r in ratings for value in r[:4]]),
        "discipline": discipline_score(inputs.discipline),
    }


def bands_of(metrics: dict[str, Decimal | None], settings: AppraisalSettings) -> dict[str, str]:
    return {
        "satisfaction": band_of(metrics["satisfaction"], settings.satisfaction_excellent, settings.satisfaction_good),
        "on_time": band_of(metrics["on_time"], settings.on_time_excellent, settings.on_time_good),
        "accuracy": band_of(metrics["accuracy"], ACCURACY_EXCELLENT, ACCURACY_GOOD),
        "attitude": band_of(metrics["attitude"], RATING_EXCELLENT, RATING_GOOD),
        "evaluation": band_of(metrics["evaluation"], RATING_EXCELLENT, RATING_GOOD),
        "discipline": band_of(metrics["discipline"], DISCIPLINE_EXCELLENT, DISCIPLINE_GOOD),
    }


def composite_of(metrics: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal | None:
    """Weighted mean of the metrics that have a value (R-APP-2)."""
    present = [(value, weights.get(name, 0)) for name in METRICS if (value := metrics[name]) is not None]
    total_weight = sum(weight for _, weight in present)
    if total_weight == 0:
        return None
    return rounded(sum(value * weight for value, weight in present) / total_weight)


def status_of(inputs: AgentInputs) -> str:
    """R-APP-2: the composite comes from daily evaluations and surveys; a month on duty with neither is not rated,
    and a month without duty is not appraised at all."""
    if inputs.duty_shifts == 0:
        return NO_DUTY
    if not inputs.evaluations and inputs.surveys_total == 0:
        return UNRATED
    return RATED


def rank(values: dict[int, Decimal]) -> dict[int, int]:
    """Competition ranking, highest first: 95, 95, 90 -> 1, 1, 3."""
    ordered = sorted(values.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in values.items()}


def compute_month(
    agents: list[AgentInputs], settings: AppraisalSettings, previous: dict[int, tuple[int, int]] | None = None
) -> list[AgentResult]:
    """Every person's month: metrics, bands, composite, rank, excellent agent(s) and streaks (R-APP-2..5).

    `previous` gives, per profile, the (excellent, failing) streaks that ended with the previous calendar month;
    a person missing from it starts from (0, 0): a month without duty or not rated breaks a streak, since
    streaks count consecutive months.
    """
    previous = previous or {}
    results = []
    for inputs in sorted(agents, key=lambda a: a.profile_id):
        status = status_of(inputs)
        if status == NO_DUTY:
            results.append(
                AgentResult(inputs.profile_id, status, {name: None for name in METRICS}, {name: "" for name in METRICS})
            )
            continue
        metrics = metrics_of(inputs)
        result = AgentResult(inputs.profile_id, status, metrics, bands_of(metrics, settings))
        if status == RATED:
            result.composite = composite = composite_of(metrics, settings.weights)
            if composite is not None:  # a rated month has a metric with a weight
                result.band = composite_band(
                    composite, settings.composite_excellent, settings.composite_good, settings.composite_pass
                )
            excellent_before, failing_before = previous.get(inputs.profile_id, (0, 0))
            if result.band == EXCELLENT:
                result.excellent_streak = 1 + excellent_before
                # R-APP-5: every full run of N excellent months earns one extra reward.
                result.reward_flag = result.excellent_streak % settings.reward_after_months == 0
            if result.band == POOR:
                result.failing_streak = 1 + failing_before
                result.review_flag = result.failing_streak >= settings.review_after_months
                result.deduction = settings.poor_month_deduction
        results.append(result)

    rated = {r.profile_id: r.composite for r in results if r.status == RATED and r.composite is not None}
    ranks = rank(rated)
    # R-APP-4: the excellent agent(s) of the month: the highest composite, if that composite is excellent.
    best = max(rated.values(), default=None)
    for result in results:
        result.rank = ranks.get(result.profile_id)
        result.is_excellent_agent = result.status == RATED and result.composite == best and result.band == EXCELLENT
    return results

"""The fairness report (R-ROSTER-4 over time) as plain values: who worked how much over the last 1, 3, 6 and 12
months, the team's means, who is furthest from them, and the distribution. No ORM: roster.queries.fairness_rows
reads the counts, roster.views.fairness shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

PERIODS = (1, 3, 6, 12)  # months ending with the month of the report
METRICS = (
    "duty",
    "night",
    "holiday",
    "promotion",
    "given",
    "taken",
    "claimed",  # issue 24: taken in the shift marketplace (roster.claimed)
    "leave",
    "wishes_granted",
    "wishes_refused",
)
# The counts R-ROSTER-4 balances: the ones whose distance from the mean is highlighted and charted.
BALANCED = ("duty", "night", "holiday")


@dataclass
class AgentRow:
    profile_id: int
    name: str
    qualified: bool
    values: dict[tuple[str, int], int] = field(default_factory=dict)  # (metric, months) -> count

    def value(self, metric: str, months: int) -> int:
        return self.values.get((metric, months), 0)


@dataclass
class Report:
    months: int
    rows: list[AgentRow]
    means: dict[str, float]  # per metric, over qualified agents, for `months`
    furthest: set[tuple[int, str]]  # (profile id, metric): furthest from the mean of a balanced metric
    deviation: dict[tuple[int, str], float]  # (profile id, metric) -> value - mean, for the highlighted cells
    histogram: dict[str, list[int]]  # balanced metric -> agents with 0, 1, 2 ... shifts
    left_out: frozenset[int] = frozenset()  # qualified, but the law kept them off every duty day of the period


def protected_throughout(duty_dates: Iterable[date], protections: dict[int, list[tuple[date, date]]]) -> frozenset[int]:
    """Who the working-time law kept off the duty of a period (R-LAW-4, as roster.law.excluded says it of one
    month): people whose protection periods (first, last day) cover every duty date in it. None when the period
    has no duty date."""
    dates = set(duty_dates)
    if not dates:
        return frozenset()
    return frozenset(
        profile_id
        for profile_id, spans in protections.items()
        if all(any(first <= d <= last for first, last in spans) for d in dates)
    )


def build_report(
    rows: list[AgentRow],
    *,
    months: int,
    sort: str = "name",
    descending: bool = False,
    left_out: frozenset[int] = frozenset(),
) -> Report:
    """Rows sorted by `sort` ("name" or a metric, for the period of `months`), means over qualified agents (new
    hires only shadow: R-ROSTER-6), and for duty, night and holiday shifts the agents furthest from the mean
    (when that is at least one shift away). Whoever is in `left_out` (protected_throughout) is shown but not
    compared."""
    qualified = [r for r in rows if r.qualified and r.profile_id not in left_out]
    means = {m: (sum(r.value(m, months) for r in qualified) / len(qualified)) if qualified else 0.0 for m in METRICS}
    furthest, deviation = set(), {}
    for metric in BALANCED:
        distances = {r.profile_id: r.value(metric, months) - means[metric] for r in qualified}
        if not distances:
            continue
        far = max(abs(d) for d in distances.values())
        if far < 1:
            continue
        for profile_id, d in distances.items():
            if abs(d) == far:
                furthest.add((profile_id, metric))
                deviation[(profile_id, metric)] = round(d, 1)
    histogram = {}
    for metric in BALANCED:
        counts = Counter(r.value(metric, months) for r in qualified)
        top = max(counts, default=0)
        histogram[metric] = [counts.get(n, 0) for n in range(top + 1)]
    if sort in METRICS:
        ordered = sorted(rows, key=lambda r: (r.value(sort, months), r.name), reverse=descending)
    else:
        ordered = sorted(rows, key=lambda r: r.name, reverse=descending)
    return Report(
        months=months,
        rows=ordered,
        means=means,
        furthest=furthest,
        deviation=deviation,
        histogram=histogram,
        left_out=frozenset(r.profile_id for r in rows if r.qualified and r.profile_id in left_out),
    )

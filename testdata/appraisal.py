"""Daily evaluations (plain ORM: one row per person and shift, as appraisal's own form writes it)."""

from __future__ import annotations

from collections.abc import Sequence

from appraisal.models import DailyEvaluation
from dutydesk.models import Profile
from roster.models import DutyShift


def evaluate(
    shift: DutyShift,
    profile: Profile,
    evaluator: Profile,
    ratings: Sequence[int] = (5, 5, 5, 5, 5),
    comment: str = "",
) -> DailyEvaluation:
    """`ratings`: inquiry, complaint, business, records, attitude."""
    inquiry, complaint, business, records, attitude = ratings
    return DailyEvaluation.objects.create(
        duty_shift=shift,
        profile=profile,
        evaluator=evaluator,
        inquiry=inquiry,
        complaint=complaint,
        business=business,
        records=records,
        attitude=attitude,
        comment=comment,
    )

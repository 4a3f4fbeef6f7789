"""Satisfaction survey rows (only appraisal's tests use them); shifts, evaluations and published rosters: testdata."""

from appraisal.models import SurveyResult
from appraisal.rules import is_satisfied


def survey(team, profile, day, score, *, scale="five", key=None, entered_by=None) -> SurveyResult:
    return SurveyResult.objects.create(
        team=team,
        profile=profile,
        date=day,
        scale=scale,
        score=score,
        satisfied=is_satisfied(scale, score),
        key=key or f"t:{SurveyResult.objects.count()}",
        entered_by=entered_by or profile,
    )

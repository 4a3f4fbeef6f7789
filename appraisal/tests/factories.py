"""Shifts and appraisal inputs built directly with the ORM; rosters published through testdata.publish."""

from datetime import date, time, timedelta

from appraisal.models import DailyEvaluation, SurveyResult
from roster.models import AssignmentRole, DutyShift, ShiftType
from testdata import publish


def shift_type(team, key="day", *, start=time(9), end=time(18), is_night=False) -> ShiftType:
    return ShiftType.objects.get_or_create(
        team=team,
        key=key,
        defaults={
            "name": "白班" if key == "day" else "夜班",
            "start": start,
            "end": end,
            "is_night": is_night,
            "headcount": 3,
        },
    )[0]


def duty_shift(team, day: date, kind: ShiftType | None = None) -> DutyShift:
    kind = kind or shift_type(team)
    starts, ends = DutyShift.bounds(day, kind)
    return DutyShift.objects.get_or_create(
        team=team,
        date=day,
        shift_type=kind,
        defaults={"starts_at": starts, "ends_at": ends, "is_night": kind.is_night, "headcount": kind.headcount},
    )[0]


def on_duty(team, profiles, days, *, role=AssignmentRole.MEMBER) -> list[DutyShift]:
    """Publish the month of days[0] with every profile on the day shift of every day; returns the shifts."""
    shifts = [duty_shift(team, day) for day in days]
    publish(team, [(p, s, role) for s in shifts for p in profiles])
    return shifts


def weekends(month: date, count: int) -> list[date]:
    days, day = [], month
    while len(days) < count:
        if day.weekday() >= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def evaluate(shift, profile, evaluator, ratings=(5, 5, 5, 5, 5), comment="") -> DailyEvaluation:
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


def survey(team, profile, day, score, *, scale="five", key=None, entered_by=None) -> SurveyResult:
    from appraisal.rules import is_satisfied

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

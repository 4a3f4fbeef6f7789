"""Demo appraisal: daily evaluations, survey results and computed scores for the three months before `today`,
built on the published demo rosters; the two older months are finalised. Idempotent, deterministic; a no-op
where no roster is published yet."""

import random
import zlib
from datetime import date

from django.db import transaction
from django.utils import timezone

from appraisal import queries, services
from appraisal.models import DailyEvaluation, ResponseKind, ScoreResponse, ScoreStatus, SurveyResult
from appraisal.permissions import may_answer_dispute
from appraisal.rules import is_satisfied
from dutydesk.models import Team
from dutydesk.months import month_end, months_back, previous_month
from dutydesk.queries import leads_of, managers_of, supervisors_of

COMMENTS = [
    "咨询解答耐心，话术规范",
    "投诉处理及时，安抚到位",
    "退款流程熟练，一次办结",
    "记录簿填写完整清楚",
    "夜班状态良好，回复迅速",
    "个别订单查询偏慢，需加强系统操作",
    "投诉分类有误，已提醒更正",
    "交接事项写得很清楚",
    "承诺回复时间已按时跟进",
    "服务态度热情，客户点名表扬",
    "",
]
# Each demo agent keeps a level across months, so that streaks and the excellent agent show: most are good or
# excellent, a few average, one in ten weak. Per level: (usual rating, attitude, weights of survey scores 5/4/3/2).
LEVELS = {0: (5, 5, (9, 1, 0, 0)), 1: (5, 4, (6, 3, 1, 0)), 2: (4, 4, (3, 4, 2, 1)), 3: (3, 3, (1, 2, 4, 3))}


def _level(username: str) -> int:
    share = zlib.crc32(username.encode()) % 10
    return 0 if share < 3 else 1 if share < 7 else 2 if share < 9 else 3


def _rng(*parts) -> random.Random:
    return random.Random(zlib.crc32("|".join(str(p) for p in parts).encode()))


def load(*, today: date) -> None:
    months = months_back(previous_month(today), 3)
    for team in Team.objects.filter(slug__in=["team-east", "team-south"]).order_by("slug"):
        manager = managers_of(team).order_by("id").first()
        evaluators = sorted([*supervisors_of(team), *leads_of(team)], key=lambda p: (p.role, p.id))
        if not evaluators:
            continue
        for month in months:
            assignments = list(
                queries.duty_assignments(team, month, month_end(month))
                .select_related("profile__user")
                .order_by("date", "duty_shift__starts_at", "profile_id")
            )
            if not assignments:
                continue  # no published roster for that month yet
            appraisal = queries.current_appraisal(team, month)
            if appraisal is not None and appraisal.is_finalised:
                continue
            _inputs(team, assignments, evaluators)
            appraisal = services.compute_appraisal(team=team, month=month)
            if month != months[-1] and manager is not None:
                services.finalise_appraisal(appraisal, manager=manager)
            else:
                _responses(appraisal, evaluators)


@transaction.atomic
def _inputs(team, assignments, evaluators) -> None:
    now = timezone.now()
    for n, assignment in enumerate(assignments):
        if assignment.duty_shift.starts_at > now:
            continue
        username = assignment.profile.user.username
        high, attitude_high, survey_weights = LEVELS[_level(username)]
        rng = _rng(username, assignment.date)
        ratings = {
            name: max(1, min(5, high - rng.choice([0, 0, 0, 1])))
            for name in ("inquiry", "complaint", "business", "records")
        }
        ratings["attitude"] = max(1, min(5, attitude_high - rng.choice([0, 0, 1])))
        DailyEvaluation.objects.update_or_create(
            duty_shift=assignment.duty_shift,
            profile=assignment.profile,
            defaults={"evaluator": evaluators[n % len(evaluators)], "comment": rng.choice(COMMENTS), **ratings},
        )
        for k in range(rng.randint(1, 3)):
            score = rng.choices([5, 4, 3, 2], weights=survey_weights)[0]
            SurveyResult.objects.update_or_create(
                profile=assignment.profile,
                date=assignment.date,
                key=f"ref:DEMO-{assignment.duty_shift_id}-{k}",
                defaults={
                    "team": team,
                    "scale": "five",
                    "score": score,
                    "satisfied": is_satisfied("five", score),
                    "entered_by": evaluators[0],
                },
            )


def _responses(appraisal, evaluators) -> None:
    """In the open month, one person has acknowledged and one has disputed (answered by the supervisor)."""
    scores = list(
        appraisal.scores.filter(status=ScoreStatus.RATED).select_related("profile").order_by("profile__user__username")
    )
    if len(scores) < 2 or ScoreResponse.objects.filter(score__appraisal=appraisal).exists():
        return
    services.respond_to_score(scores[0], agent=scores[0].profile, kind=ResponseKind.ACKNOWLEDGED)
    dispute = services.respond_to_score(
        scores[1],
        agent=scores[1].profile,
        kind=ResponseKind.DISPUTED,
        comment="11日夜班的投诉已当班处理完毕，满意度回访结果有误，请复核。",
    )
    supervisor = next((p for p in evaluators if may_answer_dispute(p, appraisal.team_id)), None)
    if supervisor is not None:
        services.answer_dispute(
            dispute, answerer=supervisor, answer="已调取通话记录复核，回访结果按原数据计入，下月注意回访话术。"
        )

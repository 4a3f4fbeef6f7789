"""Every write of the appraisal: evaluations, survey results, computing, correcting and finalising a month,
and the agent's acknowledgement or dispute with the supervisor's answer."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import queries
from appraisal.models import (
    AgentScore,
    AppraisalStatus,
    DailyEvaluation,
    MonthlyAppraisal,
    ResponseKind,
    ScoreResponse,
    ScoreStatus,
    SurveyImport,
    SurveyResult,
    TeamAppraisalSettings,
)
from appraisal.rules import METRICS, compute_month, is_satisfied
from appraisal.surveys import RowError, SurveyRow, check_rows, file_hash, read_table
from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile
from dutydesk.months import month_start
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import supervisors_of


class AppraisalError(Exception):
    """A refused action; the message is shown to the user as it is."""


# --- Daily evaluations (R-APP-1) ---------------------------------------------------------------------------------


def save_evaluation(
    *, duty_shift, profile: Profile, evaluator: Profile, ratings: dict[str, int], comment: str = ""
) -> DailyEvaluation:
    """Create or replace the evaluation of `profile` on `duty_shift`. Refused for a shift not started yet or
    not held by that person, and once the month's appraisal is finalised (the figures are frozen)."""
    if duty_shift.starts_at > timezone.now():
        raise AppraisalError(_("This shift has not started yet."))
    held = (
        queries.duty_assignments(duty_shift.team, duty_shift.date, duty_shift.date)
        .filter(duty_shift=duty_shift, profile=profile)
        .exists()
    )
    if not held:
        raise AppraisalError(_("%(name)s did not hold this shift.") % {"name": profile.name})
    appraisal = queries.current_appraisal(duty_shift.team, month_start(duty_shift.date))
    if appraisal is not None and appraisal.is_finalised:
        raise AppraisalError(_("The appraisal of this month is finalised; evaluations can no longer change."))
    now = timezone.now()
    rated = ["comment", *ratings]
    with transaction.atomic():
        old = DailyEvaluation.objects.select_for_update().filter(duty_shift=duty_shift, profile=profile).first()
        before = snapshot(old, rated) if old else None
        evaluation, _created = DailyEvaluation.objects.update_or_create(
            duty_shift=duty_shift,
            profile=profile,
            defaults={"evaluator": evaluator, "comment": comment, "updated_at": now, **ratings},
            create_defaults={
                "evaluator": evaluator,
                "comment": comment,
                "created_at": now,
                "updated_at": now,
                **ratings,
            },
        )
        record(
            "appraisal.evaluation",
            actor=evaluator,
            target=evaluation,
            team=duty_shift.team_id,
            before=before,
            after=snapshot(evaluation, rated),
            refs=[refs.person(profile), refs.day(duty_shift.date)],
            label=f"{profile.name} {duty_shift.date:%Y-%m-%d}",
        )
    return evaluation


# --- Satisfaction surveys (R-APP-2) ------------------------------------------------------------------------------


@dataclass
class SurveyPreview:
    file_name: str
    sha256: str
    rows: list[SurveyRow]
    errors: list[RowError]
    already_imported: bool

    @property
    def is_clean(self) -> bool:
        return not self.errors


def preview_surveys(*, team, file_name: str, content: bytes, scale: str, today: date) -> SurveyPreview:
    """Read and check a survey file without writing anything. Raises UnreadableFile for a file that cannot be
    read at all; every bad row is listed with its reason."""
    table = read_table(file_name, content)
    rows, errors = check_rows(
        table,
        scale=scale,
        people=queries.people_lookup(team),
        on_duty=queries.duty_dates(team, date(2000, 1, 1), today),
        today=today,
    )
    sha = file_hash(content)
    return SurveyPreview(file_name, sha, rows, errors, SurveyImport.objects.filter(team=team, sha256=sha).exists())


def import_surveys(
    *, team, importer: Profile, file_name: str, content: bytes, scale: str, today: date
) -> tuple[SurveyPreview, int]:
    """Import a clean survey file; return the preview and how many results were added.

    Nothing is written while any row is bad (AppraisalError). The same file again, or the same rows in another
    file, adds nothing: the file's hash and each row's natural key are unique in the database.
    """
    preview = preview_surveys(team=team, file_name=file_name, content=content, scale=scale, today=today)
    if not preview.is_clean:
        raise AppraisalError(
            _("The file has %(count)d bad rows; nothing was imported.") % {"count": len(preview.errors)}
        )
    with transaction.atomic():
        source, created = SurveyImport.objects.get_or_create(
            team=team,
            sha256=preview.sha256,
            defaults={"file_name": file_name[:200], "imported_by": importer, "rows_total": len(preview.rows)},
        )
        if not created:
            return preview, 0
        # A row already recorded (the same rows in another file) is skipped by its natural key.
        SurveyResult.objects.bulk_create(
            [
                SurveyResult(
                    team=team,
                    profile_id=row.profile_id,
                    date=row.date,
                    scale=row.scale,
                    score=row.score,
                    satisfied=row.satisfied,
                    key=row.key,
                    source=source,
                    entered_by=importer,
                )
                for row in preview.rows
            ],
            ignore_conflicts=True,
        )
        count = SurveyResult.objects.filter(source=source).count()
        source.rows_added = count
        source.save(update_fields=["rows_added"])
    return preview, count


def add_survey_result(
    *, team, profile: Profile, day: date, scale: str, score: int, reference: str, entered_by: Profile
) -> SurveyResult:
    """Manual entry for small teams (R-APP-2). A reference already entered for that person and date is refused."""
    if (profile.id, day) not in queries.duty_dates(team, day, day):
        raise AppraisalError(_("%(name)s was not on duty on %(date)s.") % {"name": profile.name, "date": day})
    key = f"ref:{reference.strip()}" if reference.strip() else f"manual:{timezone.now().timestamp()}"
    try:
        with transaction.atomic():
            return SurveyResult.objects.create(
                team=team,
                profile=profile,
                date=day,
                scale=scale,
                score=score,
                satisfied=is_satisfied(scale, score),
                key=key[:100],
                entered_by=entered_by,
            )
    except IntegrityError:
        raise AppraisalError(_("This survey reference is already recorded for this person and date.")) from None


# --- Team settings (R-APP-3, R-APP-5) --------------------------------------------------------------------------


def update_appraisal_settings(*, team, actor: Profile, values: dict) -> TeamAppraisalSettings:
    """Save the team's weights and thresholds; months already computed keep the settings they were computed with
    (each version stores its own) until computed again."""
    with transaction.atomic():
        row, _created = TeamAppraisalSettings.objects.select_for_update().get_or_create(team=team)
        before = snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean(exclude=["team"])
        row.save()
        record("appraisal.settings", actor=actor, target=row, team=team, before=before, after=snapshot(row))
    return row


# --- The month (R-APP-2..5) -----------------------------------------------------------------------------------------


def compute_appraisal(*, team, month: date, actor: Profile | None = None) -> MonthlyAppraisal:
    """Compute the month's current version in place (the same inputs give the same figures) and tell each rated
    person their month is ready, once per version. Refused once finalised: use correct_appraisal."""
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise AppraisalError(_("This month has not started yet."))
    try:
        return _compute(team, month, actor)
    except IntegrityError:
        # Two first computations at once (the beat job and a click): the other one created version 1; lock it.
        return _compute(team, month, actor)


def _compute(team, month: date, actor: Profile | None) -> MonthlyAppraisal:
    with transaction.atomic():
        appraisal = MonthlyAppraisal.objects.select_for_update().filter(team=team, month=month, is_current=True).first()
        if appraisal is not None and appraisal.is_finalised:
            raise AppraisalError(_("This month is finalised; a change needs a correction with a reason."))
        if appraisal is None:
            appraisal = _new_version(team, month, 1, actor, reason="")
        _fill_version(appraisal, actor)
    return appraisal


def correct_appraisal(*, team, month: date, actor: Profile, reason: str) -> MonthlyAppraisal:
    """A new version of a finalised month, computed from today's inputs; the finalised one is kept (R-APP-5)."""
    reason = reason.strip()
    if not reason:
        raise AppraisalError(_("Say why the finalised month is corrected."))
    month = month_start(month)
    with transaction.atomic():
        current = MonthlyAppraisal.objects.select_for_update().filter(team=team, month=month, is_current=True).first()
        if current is None or not current.is_finalised:
            raise AppraisalError(_("Only a finalised month is corrected; an open month is simply computed again."))
        current.is_current = False
        current.save(update_fields=["is_current"])
        appraisal = _new_version(team, month, current.version + 1, actor, reason=reason)
        _fill_version(appraisal, actor)
    return appraisal


def finalise_appraisal(appraisal: MonthlyAppraisal, *, manager: Profile) -> MonthlyAppraisal:
    """Freeze the month (R-APP-6). Refused while a dispute waits for the supervisor's answer."""
    with transaction.atomic():
        appraisal = MonthlyAppraisal.objects.select_for_update().get(pk=appraisal.pk)
        if not appraisal.is_current:
            raise AppraisalError(_("This version was replaced by a correction."))
        if appraisal.is_finalised:
            return appraisal  # somebody else was faster: the month is final either way
        waiting = queries.open_disputes(appraisal.team, appraisal.month).count()
        if waiting:
            raise AppraisalError(
                _("%(count)d disputes wait for the supervisor's answer; the month cannot be finalised yet.")
                % {"count": waiting}
            )
        appraisal.status = AppraisalStatus.FINALISED
        appraisal.finalised_at = timezone.now()
        appraisal.finalised_by = manager
        appraisal.save(update_fields=["status", "finalised_at", "finalised_by"])
        record(
            "appraisal.finalise",
            actor=manager,
            target=appraisal,
            label=_appraisal_label(appraisal),
            after={"version": appraisal.version},
        )
    return appraisal


def _appraisal_label(appraisal: MonthlyAppraisal) -> str:
    return f"{appraisal.month:%Y-%m} #{appraisal.version}"


def _new_version(team, month, version, actor, *, reason) -> MonthlyAppraisal:
    return MonthlyAppraisal.objects.create(team=team, month=month, version=version, reason=reason, computed_by=actor)


def _fill_version(appraisal: MonthlyAppraisal, actor: Profile | None) -> None:
    agents, previous = queries.month_inputs(appraisal.team, appraisal.month)
    settings = queries.settings_for(appraisal.team)
    results = compute_month(agents, settings, previous)
    inputs_by_id = {a.profile_id: a for a in agents}
    existing = {score.profile_id: score for score in appraisal.scores.all()}
    to_create, to_update = [], []
    for result in results:
        score = existing.pop(result.profile_id, None) or AgentScore(appraisal=appraisal, profile_id=result.profile_id)
        _apply(score, result, inputs_by_id[result.profile_id])
        (to_update if score.pk else to_create).append(score)
    if existing:  # people who left the team since the last computation
        AgentScore.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    AgentScore.objects.bulk_create(to_create)
    AgentScore.objects.bulk_update(to_update, SCORE_FIELDS)
    excellent = [r.profile_id for r in results if r.is_excellent_agent]
    names = dict(Profile.objects.filter(id__in=excellent).values_list("id", "name"))
    appraisal.settings = settings.as_dict()
    appraisal.excellent_names = sorted(names.values())
    appraisal.computed_at = timezone.now()
    appraisal.computed_by = actor
    appraisal.save(update_fields=["settings", "excellent_names", "computed_at", "computed_by"])
    # Scores: one event per computation, found in the history of every person rated (the page shows the figures).
    record(
        "appraisal.compute",
        actor=actor,
        target=appraisal,
        label=_appraisal_label(appraisal),
        reason=appraisal.reason,
        after={"version": appraisal.version, "excellent_names": appraisal.excellent_names},
        refs=[refs.person(r.profile_id) for r in results],
    )
    _notify_ready(appraisal, [r.profile_id for r in results if r.status != ScoreStatus.NO_DUTY])


SCORE_FIELDS = [
    *METRICS,
    "composite",
    *(f"{m}_band" for m in METRICS),
    "status",
    "band",
    "rank",
    "is_excellent_agent",
    "excellent_streak",
    "failing_streak",
    "reward_flag",
    "review_flag",
    "deduction",
    "inputs",
]


def _apply(score: AgentScore, result, inputs) -> None:
    score.status = result.status
    for name in METRICS:
        setattr(score, name, result.metrics[name])
        setattr(score, f"{name}_band", result.bands[name])
    for name in (
        "composite",
        "band",
        "rank",
        "is_excellent_agent",
        "excellent_streak",
        "failing_streak",
        "reward_flag",
        "review_flag",
        "deduction",
    ):
        setattr(score, name, getattr(result, name))
    score.inputs = {
        "duty_shifts": inputs.duty_shifts,
        "evaluations": len(inputs.evaluations),
        "surveys_total": inputs.surveys_total,
        "surveys_satisfied": inputs.surveys_satisfied,
        "promised_replies_due": inputs.promised_replies_due,
        "promised_replies_on_time": inputs.promised_replies_on_time,
        "accuracy_marks": {mark: inputs.accuracy_marks.count(mark) for mark in sorted(set(inputs.accuracy_marks))},
        "discipline": {kind: n for kind, n in sorted(inputs.discipline.items()) if n},
    }


def _notify_ready(appraisal: MonthlyAppraisal, profile_ids: list[int]) -> None:
    month = appraisal.month.strftime("%Y-%m")
    notify(
        Profile.objects.filter(id__in=profile_ids),
        kind=NoticeKind.APPRAISAL,
        subject=_("Your appraisal for %(month)s is ready: acknowledge or dispute it") % {"month": month},
        url=reverse("appraisal:mine-month", kwargs={"month": appraisal.month}),
        dedupe_key=f"appraisal:{appraisal.team_id}:{month}:v{appraisal.version}:ready",
    )


# --- Acknowledge, dispute, answer (R-APP-6) -----------------------------------------------------------------------


def respond_to_score(score: AgentScore, *, agent: Profile, kind: str, comment: str = "") -> ScoreResponse:
    """The person acknowledges their month or disputes it with a comment; a dispute tells the team's supervisors."""
    if score.profile_id != agent.id:
        raise AppraisalError(_("Only the person appraised can answer for their month."))
    comment = comment.strip()
    if kind == ResponseKind.DISPUTED and not comment:
        raise AppraisalError(_("Say what you dispute."))
    with transaction.atomic():
        appraisal = MonthlyAppraisal.objects.select_for_update().get(pk=score.appraisal_id)
        if appraisal.is_finalised or not appraisal.is_current:
            raise AppraisalError(_("This month is finalised; it can no longer be disputed."))
        if ScoreResponse.objects.filter(score=score).exists():
            raise AppraisalError(_("You have already answered for this month."))
        response = ScoreResponse.objects.create(score=score, kind=kind, comment=comment)
        record(
            "appraisal.response",
            actor=agent,
            target=response,
            team=appraisal.team_id,
            label=f"{agent.name} {_appraisal_label(appraisal)}",
            after=snapshot(response, ["kind", "comment"]),
            refs=[refs.person(agent)],
        )
        if kind == ResponseKind.DISPUTED:
            month = appraisal.month.strftime("%Y-%m")
            notify(
                supervisors_of(appraisal.team),
                kind=NoticeKind.APPRAISAL,
                subject=_("%(name)s disputes the appraisal of %(month)s") % {"name": agent.name, "month": month},
                body=comment,
                url=reverse(
                    "appraisal:person",
                    kwargs={"team": appraisal.team.slug, "month": appraisal.month, "appraisee": agent.id},
                ),
                dedupe_key=f"appraisal:dispute:{response.id}",
            )
    return response


def answer_dispute(response: ScoreResponse, *, answerer: Profile, answer: str) -> ScoreResponse:
    """The supervisor answers a dispute before the manager finalises; the person is told."""
    answer = answer.strip()
    if not answer:
        raise AppraisalError(_("Write an answer."))
    with transaction.atomic():
        response = (
            ScoreResponse.objects.select_for_update()
            .select_related("score__appraisal", "score__profile")
            .get(pk=response.pk)
        )
        if response.kind != ResponseKind.DISPUTED:
            raise AppraisalError(_("Only a dispute is answered."))
        if response.answered_at is not None:
            raise AppraisalError(_("This dispute was already answered."))
        response.answer = answer
        response.answered_by = answerer
        response.answered_at = timezone.now()
        response.save(update_fields=["answer", "answered_by", "answered_at"])
        appraisal = response.score.appraisal
        record(
            "appraisal.answer",
            actor=answerer,
            target=response,
            team=appraisal.team_id,
            label=f"{response.score.profile.name} {_appraisal_label(appraisal)}",
            after={"answer": answer},
            refs=[refs.person(response.score.profile_id)],
        )
        notify(
            [response.score.profile],
            kind=NoticeKind.APPRAISAL,
            subject=_("Your dispute of %(month)s was answered") % {"month": appraisal.month.strftime("%Y-%m")},
            body=answer,
            url=reverse("appraisal:mine-month", kwargs={"month": appraisal.month}),
            dedupe_key=f"appraisal:dispute:{response.id}:answered",
        )
    return response

"""Writes of the appraisal on the real database: computing, freezing, correcting, importing, disputing."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from appraisal import services
from appraisal.models import AgentScore, DailyEvaluation, MonthlyAppraisal, ResponseKind, SurveyImport, SurveyResult
from appraisal.tests.factories import survey
from dutydesk.models import Role
from dutydesk.notifications.models import Notification
from testdata import duty_shift, evaluate, make_person, on_duty, publish, weekends

OCT = date(2026, 10, 1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages asserted in English


@pytest.fixture
def october(team, agent, supervisor):
    """agent: 3 shifts, good; second: 1 shift, excellent; idle: no duty."""
    second = make_person(Role.AGENT, team, username="second", name="赵敏").profile
    idle = make_person(Role.AGENT, team, username="idle", name="孙杰").profile
    me, boss = agent.profile, supervisor.profile
    days = weekends(OCT, 3)
    shifts = [duty_shift(team, day) for day in days]
    publish(team, [(me, s, "member") for s in shifts] + [(second, shifts[0], "member")])
    evaluate(shifts[0], me, boss, (5, 5, 5, 5, 5))
    evaluate(shifts[1], me, boss, (4, 4, 4, 4, 4))
    evaluate(shifts[0], second, boss, (5, 5, 5, 5, 5))
    for score in (5, 4, 4, 2):
        survey(team, me, days[0], score)
    survey(team, second, days[0], 5)
    return {"me": me, "second": second, "idle": idle, "shifts": shifts, "days": days}


def figures(appraisal):
    return {
        s.profile.user.username: (
            s.status,
            s.satisfaction,
            s.attitude,
            s.evaluation,
            s.discipline,
            s.composite,
            s.band,
            s.rank,
            s.is_excellent_agent,
        )
        for s in appraisal.scores.select_related("profile__user")
    }


def test_compute_appraisal_hand_checked_month(team, october):
    appraisal = services.compute_appraisal(team=team, month=OCT)
    # agent: satisfaction 3/4 = 75; attitude (5+4)/2*20 = 90; evaluation 36/8*20 = 90; discipline 100;
    # composite (30*75 + 15*90 + 10*90 + 10*100) / 65 = 5500/65 = 84.6 (on-time and accuracy: no logbook data).
    assert figures(appraisal) == {
        "agent": ("rated", D("75.0"), D("90.0"), D("90.0"), D("100.0"), D("84.6"), "good", 2, False),
        "second": ("rated", D("100.0"), D("100.0"), D("100.0"), D("100.0"), D("100.0"), "excellent", 1, True),
        "idle": ("no_duty", None, None, None, None, None, "", None, False),
    }
    assert (appraisal.version, appraisal.status, appraisal.excellent_names) == (1, "open", ["赵敏"])
    assert appraisal.settings["weights"]["satisfaction"] == 30
    score = appraisal.scores.get(profile=october["me"])
    assert score.inputs == {
        "duty_shifts": 3,
        "evaluations": 2,
        "surveys_total": 4,
        "surveys_satisfied": 3,
        "promised_replies_due": 0,
        "promised_replies_on_time": 0,
        "accuracy_marks": {},
        "discipline": {},
    }


def test_compute_appraisal_again_gives_same_result_same_version(team, october):
    first = figures(services.compute_appraisal(team=team, month=OCT))
    again = services.compute_appraisal(team=team, month=OCT)
    assert (figures(again), again.version, MonthlyAppraisal.objects.count(), AgentScore.objects.count()) == (
        first,
        1,
        1,
        3,
    )


def test_compute_appraisal_picks_up_new_evaluation_while_open(team, october, supervisor):
    services.compute_appraisal(team=team, month=OCT)
    evaluate(october["shifts"][2], october["me"], supervisor.profile, (1, 1, 1, 1, 1))
    appraisal = services.compute_appraisal(team=team, month=OCT)
    assert appraisal.scores.get(profile=october["me"]).attitude == D("66.7")  # (5+4+1)/3*20


def test_empty_month_everyone_without_duty(team, agent, lead):
    appraisal = services.compute_appraisal(team=team, month=date(2026, 8, 1))
    assert sorted(appraisal.scores.values_list("status", flat=True)) == ["no_duty", "no_duty"]
    assert appraisal.excellent_names == []


def test_shadow_shifts_are_not_duty_to_appraise(team, agent, supervisor):
    new_hire = agent.profile
    shifts = on_duty(team, [new_hire], weekends(date(2026, 9, 1), 2), role="shadow")
    evaluate(shifts[0], new_hire, supervisor.profile)
    appraisal = services.compute_appraisal(team=team, month=date(2026, 9, 1))
    assert appraisal.scores.get(profile=new_hire).status == "no_duty"


def test_streak_continues_from_previous_month(team, agent, supervisor):
    me = agent.profile
    for month in (date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)):
        shifts = on_duty(team, [me], weekends(month, 1))
        evaluate(shifts[0], me, supervisor.profile)
        services.compute_appraisal(team=team, month=month)
    score = AgentScore.objects.get(appraisal__month=date(2026, 10, 1), profile=me)
    assert (score.band, score.excellent_streak, score.reward_flag) == ("excellent", 3, True)


def test_compute_notifies_people_on_duty_once_per_version(team, october):
    services.compute_appraisal(team=team, month=OCT)
    services.compute_appraisal(team=team, month=OCT)
    assert sorted(Notification.objects.values_list("recipient__name", flat=True)) == ["张伟", "赵敏"]


def test_finalised_month_is_frozen(team, october, manager, supervisor):
    appraisal = services.compute_appraisal(team=team, month=OCT)
    services.finalise_appraisal(appraisal, manager=manager.profile)
    with pytest.raises(services.AppraisalError, match="finalised; a change needs a correction"):
        services.compute_appraisal(team=team, month=OCT)
    with pytest.raises(services.AppraisalError, match="finalised; evaluations can no longer change"):
        services.save_evaluation(
            duty_shift=october["shifts"][2],
            profile=october["me"],
            evaluator=supervisor.profile,
            ratings={"inquiry": 1, "complaint": 1, "business": 1, "records": 1, "attitude": 1},
        )
    appraisal.refresh_from_db()
    assert (appraisal.status, appraisal.finalised_by, DailyEvaluation.objects.count()) == (
        "finalised",
        manager.profile,
        3,
    )


def test_finalise_twice_is_harmless(team, october, manager):
    appraisal = services.compute_appraisal(team=team, month=OCT)
    services.finalise_appraisal(appraisal, manager=manager.profile)
    again = services.finalise_appraisal(appraisal, manager=manager.profile)
    assert again.status == "finalised"


def test_correction_creates_new_version_keeping_the_finalised_one(team, october, manager):
    appraisal = services.compute_appraisal(team=team, month=OCT)
    services.finalise_appraisal(appraisal, manager=manager.profile)
    survey(team, october["me"], october["days"][0], 5)  # a late survey result: 4 of 5 satisfied now
    corrected = services.correct_appraisal(team=team, month=OCT, actor=manager.profile, reason="漏录一份问卷")
    old = MonthlyAppraisal.objects.get(pk=appraisal.pk)
    assert [(a.version, a.status, a.is_current, a.reason) for a in MonthlyAppraisal.objects.order_by("version")] == [
        (1, "finalised", False, ""),
        (2, "open", True, "漏录一份问卷"),
    ]
    assert old.scores.get(profile=october["me"]).satisfaction == D("75.0")
    assert corrected.scores.get(profile=october["me"]).satisfaction == D("80.0")


def test_correction_needs_reason_and_a_finalised_month(team, october, manager):
    services.compute_appraisal(team=team, month=OCT)
    with pytest.raises(services.AppraisalError, match="Only a finalised month is corrected"):
        services.correct_appraisal(team=team, month=OCT, actor=manager.profile, reason="x")
    with pytest.raises(services.AppraisalError, match="Say why"):
        services.correct_appraisal(team=team, month=OCT, actor=manager.profile, reason="  ")
    assert MonthlyAppraisal.objects.count() == 1


def test_dispute_blocks_finalising_until_answered(team, october, manager, supervisor, overseer):
    appraisal = services.compute_appraisal(team=team, month=OCT)
    score = appraisal.scores.get(profile=october["me"])
    response = services.respond_to_score(
        score, agent=october["me"], kind=ResponseKind.DISPUTED, comment="10月4日的投诉不是我处理的"
    )
    told = Notification.objects.filter(dedupe_key=f"appraisal:dispute:{response.pk}").values_list(
        "recipient__user__username", "kind"
    )
    # Issue #13 point 9: filed as appraisal news, not as a request waiting for a decision.
    assert sorted(told) == [("overseer", "appraisal"), ("supervisor", "appraisal")]
    with pytest.raises(services.AppraisalError, match="1 disputes wait"):
        services.finalise_appraisal(appraisal, manager=manager.profile)
    services.answer_dispute(response, answerer=supervisor.profile, answer="已核实，评价维持不变")
    assert (
        Notification.objects.filter(recipient=october["me"], kind="appraisal", dedupe_key__endswith=":answered").count()
        == 1
    )
    assert services.finalise_appraisal(appraisal, manager=manager.profile).status == "finalised"


def test_the_services_allow_only_whom_the_object_rules_name(
    team, october, lead, supervisor, overseer, outsider, manager
):
    """Issue #28 item 2: appraisal.permissions decides, in the service as on the page (R-APP-6)."""
    with pytest.raises(services.AppraisalError, match="Only supervisors and the manager compute"):
        services.compute_appraisal(team=team, month=OCT, actor=lead.profile)
    assert MonthlyAppraisal.objects.count() == 0
    appraisal = services.compute_appraisal(team=team, month=OCT, actor=overseer.profile)
    score = appraisal.scores.get(profile=october["me"])
    response = services.respond_to_score(score, agent=october["me"], kind=ResponseKind.DISPUTED, comment="有误")
    for stranger in (lead, outsider):  # a lead of the team, a supervisor of another team
        with pytest.raises(services.AppraisalError, match="Only a supervisor of the team answers"):
            services.answer_dispute(response, answerer=stranger.profile, answer="x")
    response.refresh_from_db()
    assert response.answered_at is None
    services.answer_dispute(response, answerer=overseer.profile, answer="已核实")
    for not_manager in (supervisor, overseer):
        with pytest.raises(services.AppraisalError, match="Only the manager finalises"):
            services.finalise_appraisal(appraisal, manager=not_manager.profile)
    appraisal.refresh_from_db()
    assert appraisal.status == "open"
    services.finalise_appraisal(appraisal, manager=manager.profile)
    with pytest.raises(services.AppraisalError, match="Only the manager finalises or corrects"):
        services.correct_appraisal(team=team, month=OCT, actor=supervisor.profile, reason="漏录")
    assert MonthlyAppraisal.objects.count() == 1


def test_respond_refuses_others_twice_and_empty_dispute(team, october):
    appraisal = services.compute_appraisal(team=team, month=OCT)
    score = appraisal.scores.get(profile=october["me"])
    with pytest.raises(services.AppraisalError, match="Only the person appraised"):
        services.respond_to_score(score, agent=october["second"], kind=ResponseKind.ACKNOWLEDGED)
    with pytest.raises(services.AppraisalError, match="Say what you dispute"):
        services.respond_to_score(score, agent=october["me"], kind=ResponseKind.DISPUTED, comment=" ")
    services.respond_to_score(score, agent=october["me"], kind=ResponseKind.ACKNOWLEDGED)
    with pytest.raises(services.AppraisalError, match="already answered"):
        services.respond_to_score(score, agent=october["me"], kind=ResponseKind.DISPUTED, comment="x")


def test_save_evaluation_replaces_and_refuses_non_holder_and_future(team, october, supervisor, lead):
    ratings = {"inquiry": 3, "complaint": 3, "business": 3, "records": 3, "attitude": 3}
    services.save_evaluation(
        duty_shift=october["shifts"][0], profile=october["me"], evaluator=lead.profile, ratings=ratings, comment="改评"
    )
    evaluation = DailyEvaluation.objects.get(duty_shift=october["shifts"][0], profile=october["me"])
    assert (evaluation.attitude, evaluation.evaluator, evaluation.comment) == (3, lead.profile, "改评")
    with pytest.raises(services.AppraisalError, match="did not hold this shift"):
        services.save_evaluation(
            duty_shift=october["shifts"][1], profile=october["second"], evaluator=supervisor.profile, ratings=ratings
        )
    future = duty_shift(team, date(2030, 1, 5))
    publish(team, [(october["me"], future, "member")])
    with pytest.raises(services.AppraisalError, match="not started yet"):
        services.save_evaluation(
            duty_shift=future, profile=october["me"], evaluator=supervisor.profile, ratings=ratings
        )


CSV_BAD = "agent,date,score\nagent,2026-10-03,5\nnobody,2026-10-03,4\n"
CSV_GOOD = "agent,date,score\nagent,2026-10-03,5\nagent,2026-10-03,5\nsecond,2026-10-03,2\n"


def test_import_with_bad_row_imports_nothing(team, october, supervisor):
    with pytest.raises(services.AppraisalError, match="1 bad rows; nothing was imported"):
        services.import_surveys(
            team=team,
            importer=supervisor.profile,
            file_name="s.csv",
            content=CSV_BAD.encode(),
            scale="five",
            today=date(2026, 11, 23),
        )
    assert (SurveyImport.objects.count(), SurveyResult.objects.count()) == (0, 5)


def test_import_clean_file_then_same_file_and_same_rows_add_nothing(team, october, supervisor):
    kwargs = {"team": team, "importer": supervisor.profile, "scale": "five", "today": date(2026, 11, 23)}
    _, added = services.import_surveys(file_name="s.csv", content=CSV_GOOD.encode(), **kwargs)
    _, again = services.import_surveys(file_name="s.csv", content=CSV_GOOD.encode(), **kwargs)
    same_rows = CSV_GOOD.replace("agent,date,score", "客服,日期,评分")  # another file, the same rows
    preview, rows_again = services.import_surveys(file_name="copy.csv", content=same_rows.encode(), **kwargs)
    assert (added, again, rows_again, len(preview.rows)) == (3, 0, 0, 3)
    assert (SurveyImport.objects.count(), SurveyResult.objects.filter(source__isnull=False).count()) == (2, 3)
    assert list(SurveyImport.objects.order_by("id").values_list("rows_added", flat=True)) == [3, 0]


def test_manual_survey_entry_checks_duty_and_reference(team, october, supervisor):
    kwargs = {"team": team, "scale": "percent", "score": 90, "entered_by": supervisor.profile}
    result = services.add_survey_result(profile=october["me"], day=october["days"][1], reference="W-1", **kwargs)
    assert (result.satisfied, result.key) == (True, "ref:W-1")
    with pytest.raises(services.AppraisalError, match="already recorded"):
        services.add_survey_result(profile=october["me"], day=october["days"][1], reference="W-1", **kwargs)
    with pytest.raises(services.AppraisalError, match="not on duty"):
        services.add_survey_result(profile=october["second"], day=october["days"][1], reference="", **kwargs)


def test_management_command_computes_any_month(team, october, capsys):
    call_command("compute_appraisal", "--team", team.slug, "--month", "2026-10")
    assert capsys.readouterr().out == "team-east 2026-10 v1: 2 rated, excellent: 赵敏\n"
    assert MonthlyAppraisal.objects.filter(team=team, month=OCT).count() == 1


def test_evaluation_queue_leaves_out_finalised_months(team, october, manager):
    from appraisal.queries import evaluation_queue

    pending = [(a.profile.name, a.date) for a in evaluation_queue(team, date(2026, 11, 23))]
    assert pending == [("张伟", october["days"][2])]
    services.finalise_appraisal(services.compute_appraisal(team=team, month=OCT), manager=manager.profile)
    assert list(evaluation_queue(team, date(2026, 11, 23))) == []


def test_beat_schedule_runs_a_registered_task_on_the_first_of_the_month():
    from appraisal.schedule import BEAT_SCHEDULE
    from dutydesk.celery import app

    entry = BEAT_SCHEDULE["appraisal-compute-last-month"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert (entry["schedule"].day_of_month, entry["schedule"].hour, entry["schedule"].minute) == ({1}, {2}, {0})


def test_compute_refuses_a_month_not_started(team, agent):
    with pytest.raises(services.AppraisalError, match="not started yet"):
        services.compute_appraisal(team=team, month=date(2031, 1, 1))
    assert MonthlyAppraisal.objects.count() == 0

"""R-ROSTER-6: shadow shifts counted from the roster and the sign-ins; the lead asked once the team's number is
reached; the check recorded with its refusals; two leads at once record one pass."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dutydesk.models import Profile, Qualification, Role
from dutydesk.notifications.models import NoticeKind, Notification
from people.models import CheckResult, QualificationCheck
from people.services import PeopleError, qualification
from people.tests.factories import new_hire, shadow_history
from roster.queries import settings_for
from testdata import make_person, past_weekend_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def hire(team):
    return new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)


def test_only_shadow_shifts_over_and_signed_in_count(team, supervisor, lead, hire):
    days = past_weekend_days(3)
    shadow_history(team, hire, lead.profile, days[:2], by=supervisor)
    shadow_history(team, hire, lead.profile, days[2:], by=supervisor, signed_in=False)
    now = timezone.now()
    assert qualification.shadow_shifts_done([hire.pk], now=now) == {hire.pk: 2}
    future = [timezone.localdate() + timedelta(days=d) for d in (7, 8)]
    shadow_history(team, hire, lead.profile, future, by=supervisor, signed_in=False)
    assert qualification.shadow_shifts_planned([hire.pk], now=now) == {hire.pk: 2}


def test_lead_is_asked_once_when_the_team_number_is_reached(team, supervisor, lead, hire):
    days = past_weekend_days(2)
    shadow_history(team, hire, lead.profile, days[:1], by=supervisor)
    assert qualification.ask_for_checks() == 0
    shadow_history(team, hire, lead.profile, days[1:], by=supervisor)
    assert qualification.ask_for_checks() == 1
    assert qualification.ask_for_checks() == 1  # asked again in the job's count, but notified once
    notices = Notification.objects.filter(kind=NoticeKind.REQUEST_WAITING)
    assert [(n.recipient.name, n.subject, n.url) for n in notices] == [
        ("李娜", "周新 已完成 2 个跟岗班次：请登记上岗考核结果", "/people/team-east/new-hires/")
    ]


def test_team_setting_decides_the_number(team, supervisor, lead, hire):
    settings = settings_for(team)
    settings.shadow_shifts_required = 3
    settings.save()
    shadow_history(team, hire, lead.profile, past_weekend_days(2), by=supervisor)
    assert qualification.ask_for_checks() == 0
    with pytest.raises(PeopleError, match="已完成 2/3 个跟岗班次"):
        qualification.record_check(
            profile=hire, actor=lead.profile, result=CheckResult.PASSED, day=timezone.localdate(), examiner=lead.profile
        )
    assert QualificationCheck.objects.count() == 0


def test_check_refusals_change_nothing(team, other_team, supervisor, lead, agent, outsider, hire):
    shadow_history(team, hire, lead.profile, past_weekend_days(2), by=supervisor)
    today = timezone.localdate()
    for kwargs, message in [
        ({"profile": hire, "day": today + timedelta(days=1), "examiner": lead.profile}, "不能晚于今天"),
        ({"profile": hire, "day": today, "examiner": agent.profile}, "考核人必须是本团队"),
        ({"profile": hire, "day": today, "examiner": outsider.profile}, "考核人必须是本团队"),
        ({"profile": agent.profile, "day": today, "examiner": lead.profile}, "已经独立上岗"),
    ]:
        with pytest.raises(PeopleError, match=message):
            qualification.record_check(actor=lead.profile, result=CheckResult.PASSED, **kwargs)
    assert QualificationCheck.objects.count() == 0
    assert Profile.objects.get(pk=hire.pk).qualification == Qualification.NEW_HIRE


def test_pass_and_fail_tell_the_person_and_the_supervisors(team, supervisor, lead, hire):
    days = past_weekend_days(2)
    shadow_history(team, hire, lead.profile, days, by=supervisor)
    check = qualification.record_check(
        profile=hire,
        actor=lead.profile,
        result=CheckResult.FAILED,
        day=days[-1],
        examiner=lead.profile,
        note="跨境退货规则不熟",
    )
    hire.refresh_from_db()
    assert hire.shadowing_since == days[-1] + timedelta(days=1)
    assert qualification.shadow_shifts_done([hire.pk], now=timezone.now()) == {}
    assert sorted(
        (n.recipient.name, n.subject) for n in Notification.objects.filter(kind=NoticeKind.REQUEST_DECIDED)
    ) == [
        ("周新", "这次上岗考核未通过：将继续安排跟岗班次。"),
        ("王芳", "周新 未通过上岗考核：请继续安排跟岗班次（重新生成排班草稿）。"),
    ]
    assert check.shadow_shifts == 2


@pytest.mark.django_db(transaction=True)
def test_two_leads_recording_a_pass_at_once_record_one(team, supervisor, lead, hire):
    second = make_person(Role.LEAD, team, username="lead2", name="赵敏").profile
    shadow_history(team, hire, lead.profile, past_weekend_days(2), by=supervisor)
    barrier = threading.Barrier(2)
    outcomes = []

    def record(examiner):
        try:
            barrier.wait()
            qualification.record_check(
                profile=hire, actor=examiner, result=CheckResult.PASSED, day=timezone.localdate(), examiner=examiner
            )
            outcomes.append("recorded")
        except PeopleError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(p,)) for p in (lead.profile, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["recorded", "周新 已经独立上岗，未登记。"]
    assert QualificationCheck.objects.filter(profile=hire).count() == 1

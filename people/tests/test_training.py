"""R-TRAIN-1: sessions, invitations and reminders, attendance; R-APP-5: the training opportunity as a reward;
R-TRAIN-2: the support directory."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dutydesk.notifications.models import NoticeKind, Notification
from people import queries
from people.models import Attendance, SupportContact, TrainingInvitation, TrainingReward
from people.services import PeopleError, members, support, training
from people.tests.factories import make_contact, make_session
from testdata import at, publish
from testdata import duty_shift as appraisal_shift

pytestmark = pytest.mark.django_db


def _values(starts, **overrides):
    values = {
        "topic": "投诉处理话术",
        "kind": "case_study",
        "provider": "",
        "trainer": "李娜",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "3楼培训室",
        "link": "",
        "description": "",
    }
    return {**values, **overrides}


def test_planning_invites_and_tells_each_invitee(team, supervisor, agent, lead):
    session = make_session(team, actor=supervisor.profile, invitees=[agent.profile, lead.profile])
    assert sorted(session.invitations.values_list("profile__name", "attendance")) == [
        ("张伟", "invited"),
        ("李娜", "invited"),
    ]
    subjects = Notification.objects.filter(kind=NoticeKind.TRAINING).values_list("recipient__name", "subject")
    when = f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}-{timezone.localtime(session.ends_at):%H:%M}"
    assert sorted(subjects) == [
        ("张伟", f"培训通知：退款新规解读，{when}"),
        ("李娜", f"培训通知：退款新规解读，{when}"),
    ]


def test_planning_refusals(team, other_team, supervisor, agent, outsider):
    starts = at(timezone.localdate() + timedelta(days=2), 14)
    for values, invitees, message in [
        (_values(timezone.now() - timedelta(hours=1)), [agent.profile], "开始时间已经过去"),
        (_values(starts, ends_at=starts), [agent.profile], "结束时间必须晚于开始时间"),
        (_values(starts, kind="external"), [agent.profile], "培训机构"),
        (_values(starts, place=""), [agent.profile], "地点或线上链接"),
        (_values(starts), [outsider.profile], "不是华东客服组的成员"),
        (_values(starts), [], "至少邀请一人"),
    ]:
        with pytest.raises(PeopleError, match=message):
            training.plan_session(team=team, actor=supervisor.profile, values=values, invitees=invitees)
    assert team.training_sessions.count() == 0


def test_a_leaver_is_not_invited_after_the_leaving_date(team, supervisor, agent):
    members.mark_left(agent.profile, actor=supervisor.profile, left_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(PeopleError, match="当天不是"):
        make_session(team, actor=supervisor.profile, invitees=[agent.profile])


def test_reminder_goes_once_in_the_day_before(team, supervisor, agent):
    starts = at(timezone.localdate() + timedelta(days=3), 14)
    session = make_session(team, actor=supervisor.profile, invitees=[agent.profile], starts_at=starts)
    assert training.send_reminders(now=starts - timedelta(hours=30)) == 0
    assert training.send_reminders(now=starts - timedelta(hours=20)) == 1
    assert training.send_reminders(now=starts - timedelta(hours=19)) == 0
    reminders = Notification.objects.filter(subject__startswith="培训提醒")
    assert [n.recipient.name for n in reminders] == ["张伟"]
    # Moved to a new time: a change notice, and the reminder goes again before the new time.
    later = starts + timedelta(days=1)
    training.change_session(
        session,
        actor=supervisor.profile,
        values=_values(later, topic="退款新规解读"),
        invitees=[agent.profile],
        now=starts - timedelta(hours=19),
    )
    assert Notification.objects.filter(subject__startswith="培训变更").count() == 1
    assert training.send_reminders(now=later - timedelta(hours=2)) == 1
    assert Notification.objects.filter(subject__startswith="培训提醒").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_reminder_jobs_at_once_remind_once(team, supervisor, agent):
    starts = at(timezone.localdate() + timedelta(days=3), 14)
    make_session(team, actor=supervisor.profile, invitees=[agent.profile], starts_at=starts)
    barrier = threading.Barrier(2)
    counts = []

    def job():
        barrier.wait()
        counts.append(training.send_reminders(now=starts - timedelta(hours=2)))
        connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == [0, 1]
    assert Notification.objects.filter(subject__startswith="培训提醒").count() == 1


def test_attendance_from_the_start_per_invitee(team, supervisor, lead, agent, manager):
    starts = at(timezone.localdate() + timedelta(days=3), 14)
    session = make_session(team, actor=supervisor.profile, invitees=[agent.profile, lead.profile], starts_at=starts)
    marks = {agent.profile.pk: Attendance.PRESENT, lead.profile.pk: Attendance.EXCUSED}
    with pytest.raises(PeopleError, match="开始后才能登记"):
        training.record_attendance(session, actor=lead.profile, marks=marks, now=starts - timedelta(minutes=1))
    with pytest.raises(PeopleError, match="只有受邀人员"):
        training.record_attendance(session, actor=lead.profile, marks={manager.profile.pk: "present"}, now=starts)
    assert training.record_attendance(session, actor=lead.profile, marks=marks, now=starts) == 2
    assert training.record_attendance(session, actor=lead.profile, marks=marks, now=starts) == 0
    assert dict(session.invitations.values_list("profile__name", "attendance")) == {
        "张伟": "present",
        "李娜": "excused",
    }
    history = queries.training_history(agent.profile)
    assert [(line.session.topic, line.attendance_label) for line in history] == [("退款新规解读", "出席")]


def test_cancel_tells_invitees_and_frees_the_rewards_it_used(team, supervisor, agent):
    starts = at(timezone.localdate() + timedelta(days=3), 14)
    reward = TrainingReward.objects.create(
        profile=agent.profile, team=team, month=date(2026, 10, 1), excellent_months=3, granted_by=supervisor.profile
    )
    session = make_session(team, actor=supervisor.profile, invitees=[agent.profile], starts_at=starts)
    reward.refresh_from_db()
    assert reward.session == session
    training.cancel_session(session, actor=supervisor.profile, now=starts - timedelta(hours=3))
    reward.refresh_from_db()
    assert reward.session is None
    assert Notification.objects.filter(subject__startswith="培训取消").count() == 1
    with pytest.raises(PeopleError, match="已经取消"):
        training.cancel_session(session, actor=supervisor.profile, now=starts - timedelta(hours=2))
    assert training.send_reminders(now=starts - timedelta(hours=1)) == 0


def _streak(team, profile, *, streak: int, month=date(2026, 10, 1)):
    """A computed month in which `profile` has `streak` excellent months in a row."""
    from appraisal.models import AgentScore, MonthlyAppraisal

    shift = appraisal_shift(team, month.replace(day=3))
    publish(team, [(profile, shift, "member")])
    appraisal = MonthlyAppraisal.objects.create(team=team, month=month)
    return AgentScore.objects.create(
        appraisal=appraisal,
        profile=profile,
        status="rated",
        composite=95,
        band="excellent",
        rank=1,
        excellent_streak=streak,
        reward_flag=streak >= 3,
    )


def test_r_app_5_the_manager_grants_a_training_opportunity_once(team, supervisor, manager, agent):
    _streak(team, agent.profile, streak=3)
    reward = training.grant_training_reward(
        team=team, month=date(2026, 10, 1), profile=agent.profile, actor=manager.profile, note="外部沟通课程"
    )
    assert (reward.excellent_months, reward.session) == (3, None)
    with pytest.raises(PeopleError, match="已授予"):
        training.grant_training_reward(team=team, month=date(2026, 10, 1), profile=agent.profile, actor=manager.profile)
    history = queries.training_history(agent.profile)
    assert [line.reward for line in history] == [reward]
    assert sorted(Notification.objects.filter(kind=NoticeKind.TRAINING).values_list("recipient__name", flat=True)) == [
        "张伟",
        "王芳",
    ]


def test_r_app_5_refusals(team, supervisor, manager, agent, lead):
    _streak(team, agent.profile, streak=2)
    with pytest.raises(PeopleError, match="连续优秀 2 个月；奖励需要 3 个月"):
        training.grant_training_reward(team=team, month=date(2026, 10, 1), profile=agent.profile, actor=manager.profile)
    with pytest.raises(PeopleError, match="没有考核结果"):
        training.grant_training_reward(team=team, month=date(2026, 10, 1), profile=lead.profile, actor=manager.profile)
    with pytest.raises(PeopleError, match="奖励由经理决定"):
        training.grant_training_reward(
            team=team, month=date(2026, 10, 1), profile=agent.profile, actor=supervisor.profile
        )
    assert TrainingReward.objects.count() == 0


def test_support_directory_lines_need_a_way_to_reach_them_and_unique_names(team, supervisor):
    make_contact(team, actor=supervisor.profile)
    with pytest.raises(PeopleError, match="已有“技术支持热线”"):
        make_contact(team, actor=supervisor.profile)
    with pytest.raises(PeopleError, match="请至少填写电话"):
        support.save_contact(
            team=team,
            actor=supervisor.profile,
            values={"kind": "department", "name": "订单中心", "phone": "", "hours": "每天"},
        )
    assert list(SupportContact.objects.values_list("name", "phone")) == [("技术支持热线", "400-820-1234")]


def test_history_and_overview_count_what_a_manager_recounts(team, supervisor, manager, agent, lead):
    starts = at(timezone.localdate() + timedelta(days=3), 14)
    first = make_session(team, actor=supervisor.profile, invitees=[agent.profile, lead.profile], starts_at=starts)
    second = make_session(
        team,
        actor=supervisor.profile,
        invitees=[agent.profile],
        starts_at=starts + timedelta(days=1),
        topic="系统故障应急演练",
        kind="drill",
    )
    training.record_attendance(
        first, actor=lead.profile, marks={agent.profile.pk: "present", lead.profile.pk: "absent"}, now=starts
    )
    training.record_attendance(
        second, actor=lead.profile, marks={agent.profile.pk: "excused"}, now=starts + timedelta(days=1)
    )
    rows = {p.name: (p.invited, p.present, p.absent, p.excused) for p in queries.training_overview([team])}
    assert rows == {"张伟": (2, 1, 0, 1), "李娜": (1, 0, 1, 0)}
    assert TrainingInvitation.objects.count() == 3

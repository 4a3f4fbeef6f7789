"""Members: add (with a one-time activation link), change, move, leave, skills, the company's skills."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone, translation

from dutydesk.models import Profile, Qualification, Role
from dutydesk.notifications.models import Notification
from people.models import EventKind, PersonEvent
from people.services import PeopleError, members
from people.tasks import task_send_activation
from roster.models import AssignmentRole, ShiftType
from testdata import duty_shift, make_person, make_skill, publish

pytestmark = pytest.mark.django_db


def _add(team, actor, **values):
    defaults = {"name": "周新", "employee_number": "E100", "email": "zhouxin@example.com"}
    return members.add_person(team=team, actor=actor, base_url="http://testserver/", **{**defaults, **values})


def test_new_person_has_no_password_and_sets_it_once_through_the_link(
    client, team, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        profile = _add(team, supervisor.profile, qualified=False)
    assert len(callbacks) == 1  # the e-mail is queued for the worker after commit
    assert (profile.user.username, profile.qualification, profile.user.has_usable_password()) == (
        "E100",
        Qualification.NEW_HIRE,
        False,
    )
    task_send_activation(profile_id=profile.pk, base_url="http://testserver/")
    assert [m.to for m in mail.outbox] == [["zhouxin@example.com"]]
    link = next(line for line in mail.outbox[0].body.splitlines() if line.startswith("http://testserver/"))
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    response = client.post(path, {"new_password1": "Duty-desk-2026!", "new_password2": "Duty-desk-2026!"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    profile.user.refresh_from_db()
    assert profile.user.check_password("Duty-desk-2026!")
    # Once only: the same link (and the supervisor's copy) no longer works.
    assert client.get(path).status_code == 404
    assert (
        client.post(path, {"new_password1": "Other-pass-2026!", "new_password2": "Other-pass-2026!"}).status_code == 404
    )
    profile.user.refresh_from_db()
    assert profile.user.check_password("Duty-desk-2026!")


def test_activation_link_with_a_forged_token_or_user_is_refused(client, team, supervisor):
    profile = _add(team, supervisor.profile)
    path = members.activation_path(profile.user)
    assert client.get(path[:-3] + "xyz/").status_code == 404
    assert client.get("/people/activate/Zm9v/abc/").status_code == 404
    assert client.get("/people/activate/%%%/abc/").status_code == 404
    # An account that already has a password gets no activation link.
    assert client.get(members.activation_path(supervisor)).status_code == 404


def test_no_activation_mail_without_an_address_or_once_activated(team, supervisor):
    profile = _add(team, supervisor.profile, email="")
    assert members.send_activation_email(profile, base_url="http://testserver/") is False
    assert members.send_activation_email(supervisor.profile, base_url="http://testserver/") is False
    assert mail.outbox == []


def test_employee_number_and_login_name_are_unique(team, supervisor):
    _add(team, supervisor.profile)
    with pytest.raises(PeopleError, match="工号 E100 已被使用"):
        _add(team, supervisor.profile, name="李四")
    make_person(Role.AGENT, team, username="taken")
    with pytest.raises(PeopleError, match="登录名 taken 已被其他账号使用"):
        _add(team, supervisor.profile, employee_number="taken")
    assert Profile.objects.filter(employee_number="E100").count() == 1


def test_update_refused_when_someone_else_changed_the_person_meanwhile(team, supervisor, manager):
    profile = _add(team, supervisor.profile)
    stamp = members.stamp(Profile.objects.select_related("user").get(pk=profile.pk))
    members.update_person(profile, actor=manager.profile, values={"phone": "13800138000"}, expected_stamp=stamp)
    with pytest.raises(PeopleError, match="在此期间有人修改了"):
        members.update_person(profile, actor=supervisor.profile, values={"phone": "13900139000"}, expected_stamp=stamp)
    profile.refresh_from_db()
    assert profile.phone == "13800138000"


def test_update_records_what_changed(team, supervisor):
    profile = _add(team, supervisor.profile)
    refund = make_skill("refund", "退款处理")
    changed = members.update_person(
        profile,
        actor=supervisor.profile,
        values={"name": "周欣", "role": Role.LEAD, "email": "zx@example.com"},
        skills=[refund],
    )
    assert changed == ["name", "role", "email", "skills"]
    logged = PersonEvent.objects.filter(profile=profile, kind=EventKind.CHANGED).get()
    with translation.override("en"):
        assert logged.shown_note == "Name, Role, E-mail, Skills"
    assert members.update_person(profile, actor=supervisor.profile, values={"name": "周欣"}, skills=[refund]) == []


def test_move_refused_while_holding_shifts_then_allowed(team, other_team, supervisor, agent):
    shift = duty_shift(team, timezone.localdate() + timedelta(days=5))
    publish(team, [(agent.profile, shift, AssignmentRole.MEMBER)], by=supervisor, keep=True)
    with pytest.raises(PeopleError, match="还有班次"):
        members.move_person(agent.profile, actor=supervisor.profile, to_team=other_team)
    agent.profile.refresh_from_db()
    assert agent.profile.team == team
    later = timezone.localdate() + timedelta(days=6)
    members.move_person(agent.profile, actor=supervisor.profile, to_team=other_team, today=later)
    agent.profile.refresh_from_db()
    assert agent.profile.team == other_team
    assert PersonEvent.objects.get(profile=agent.profile, kind=EventKind.MOVED).note == "华东客服组 → 华南客服组"


def test_mark_left_today_closes_the_account_and_tells_the_supervisors_of_flagged_shifts(
    team, supervisor, manager, agent
):
    today = timezone.localdate()
    shifts = [duty_shift(team, today + timedelta(days=d)) for d in (3, 10)]
    publish(team, [(agent.profile, s, AssignmentRole.MEMBER) for s in shifts], by=supervisor, keep=True)
    flagged = members.mark_left(agent.profile, actor=manager.profile, left_on=today + timedelta(days=7))
    assert [a.duty_shift for a in flagged] == [shifts[1]]
    agent.refresh_from_db()
    assert agent.is_active  # leaves next week: still on duty until then
    notice = Notification.objects.get(recipient=supervisor.profile)
    assert notice.subject == f"张伟 将于 {today + timedelta(days=7):%Y-%m-%d} 离职，之后还有 1 个班次：请修订排班表"
    with pytest.raises(PeopleError, match="没有变化"):
        members.mark_left(agent.profile, actor=manager.profile, left_on=today + timedelta(days=7))
    members.mark_left(agent.profile, actor=manager.profile, left_on=today)
    agent.refresh_from_db()
    assert not agent.is_active
    members.withdraw_leaving(agent.profile, actor=supervisor.profile)
    agent.refresh_from_db()
    assert (agent.profile.left_on, agent.is_active) == (None, True)


def test_daily_job_closes_accounts_on_the_leaving_date_and_is_safe_twice(team, supervisor, agent, lead):
    today = timezone.localdate()
    members.mark_left(agent.profile, actor=supervisor.profile, left_on=today + timedelta(days=2))
    assert members.close_left_accounts(today=today) == 0
    assert members.close_left_accounts(today=today + timedelta(days=2)) == 1
    assert members.close_left_accounts(today=today + timedelta(days=2)) == 0
    assert list(User.objects.filter(is_active=False).values_list("username", flat=True)) == ["agent"]


def test_leaving_before_the_hire_date_is_refused(team, supervisor):
    profile = _add(team, supervisor.profile, hire_date=timezone.localdate())
    with pytest.raises(PeopleError, match="离职日期早于入职日期"):
        members.mark_left(profile, actor=supervisor.profile, left_on=timezone.localdate() - timedelta(days=1))


def test_set_skill_sends_the_wanted_state_so_repeats_change_nothing(team, supervisor, agent):
    vip = make_skill("vip", "VIP专线")
    assert members.set_skill(agent.profile, vip, actor=supervisor.profile, held=True) is True
    assert members.set_skill(agent.profile, vip, actor=supervisor.profile, held=True) is False
    assert list(agent.profile.skills.values_list("code", flat=True)) == ["vip"]
    assert members.set_skill(agent.profile, vip, actor=supervisor.profile, held=False) is True
    assert members.set_skill(agent.profile, vip, actor=supervisor.profile, held=False) is False
    assert [e.note for e in PersonEvent.objects.filter(profile=agent.profile).order_by("at", "id")] == [
        "+VIP专线",
        "−VIP专线",
    ]


def test_company_skills_by_display_name(team, supervisor, agent):
    skill = members.add_skill(actor=supervisor.profile, name="Refund desk")
    assert (skill.code, skill.name) == ("refund-desk", "Refund desk")
    chinese = members.add_skill(actor=supervisor.profile, name="跨境退货")
    assert chinese.code.startswith("skill-")
    with pytest.raises(PeopleError, match="已有名为"):
        members.add_skill(actor=supervisor.profile, name="跨境退货")
    members.rename_skill(chinese, actor=supervisor.profile, name="跨境退货（欧美）")
    with pytest.raises(PeopleError, match="已有名为"):
        members.rename_skill(chinese, actor=supervisor.profile, name="refund desk")
    agent.profile.skills.add(chinese)
    shift = ShiftType.objects.create(team=team, key="day", name="白班", start="09:00", end="18:00")
    shift.required_skills.add(skill)
    with pytest.raises(PeopleError, match="1 人掌握，0 个班次"):
        members.remove_skill(chinese, actor=supervisor.profile)
    with pytest.raises(PeopleError, match="0 人掌握，1 个班次"):
        members.remove_skill(skill, actor=supervisor.profile)
    spare = members.add_skill(actor=supervisor.profile, name="闲置")
    members.remove_skill(spare, actor=supervisor.profile)
    assert sorted(s.name for s in type(skill).objects.all()) == ["Refund desk", "跨境退货（欧美）"]


def test_the_activation_mail_is_queued_by_the_name_of_its_task():
    """Queued by name (no import circle with people.tasks): the name must be the task's."""
    from people.services.members import SEND_ACTIVATION_TASK

    assert task_send_activation.name == SEND_ACTIVATION_TASK

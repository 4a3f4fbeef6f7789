"""The people pages: what each shows (in Chinese), refusals that change nothing, 404 for another team's objects,
and query counts that do not grow with the number of people or sessions."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dutydesk import months
from dutydesk.models import Profile, Role
from people.models import QualificationCheck, SupportContact, TrainingReward
from people.services import members, qualification, training
from people.tests.factories import hr_rows, make_contact, make_session, new_hire, shadow_history, xlsx_bytes
from people.tests.test_training import _streak
from roster import services as roster_services
from testdata import (
    at,
    duty_shift,
    laid_out_month,
    make_agents,
    make_person,
    make_skill,
    past_weekend_days,
    publish,
    signed_in,
)

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _grow(team, n, start=1):
    refund = make_skill("refund", "退款处理")
    for i in range(start, start + n):
        make_person(Role.AGENT, team, username=f"p{i:03d}", name=f"员工{i:03d}", skills=[refund])


@pytest.mark.parametrize(
    "url",
    [
        "/people/team-east/members/",
        "/people/team-east/skills/",
        "/people/team-east/new-hires/",
        "/people/team-east/training/?when=past",
        "/people/training/",
        "/people/team-east/support/",
    ],
)
def test_list_pages_cost_the_same_queries_for_5_or_40_people(client, team, supervisor, manager, lead, url):
    client.force_login(manager)
    _grow(team, 5)
    small = _count(client, url)
    _grow(team, 35, start=100)
    for profile in Profile.objects.filter(team=team, role=Role.AGENT)[:3]:
        new_hire(profile)
    starts = at(timezone.localdate() - timedelta(days=3), 14)
    for n in range(3):
        session = make_session(
            team,
            actor=supervisor.profile,
            invitees=Profile.objects.filter(team=team),
            starts_at=starts - timedelta(days=n),
            now=starts - timedelta(days=n, hours=5),
            topic=f"培训{n}",
        )
        training.record_attendance(
            session,
            actor=supervisor.profile,
            marks={p: "present" for p in session.invitations.values_list("profile_id", flat=True)},
            now=starts,
        )
    for n in range(4):
        make_contact(team, actor=supervisor.profile, name=f"部门{n}", kind="department")
    assert _count(client, url) <= small


def test_members_page_lists_and_searches(client, team, supervisor, agent, lead):
    client.force_login(supervisor)
    page = client.get("/people/team-east/members/").content.decode()
    assert "团队成员 · 华东客服组" in page and "张伟" in page and "李娜" in page
    page = client.get("/people/team-east/members/?q=张").content.decode()
    assert "张伟" in page and "李娜" not in page
    members.mark_left(agent.profile, actor=supervisor.profile, left_on=timezone.localdate())
    assert "张伟" not in client.get("/people/team-east/members/").content.decode()
    assert "张伟" in client.get("/people/team-east/members/?status=left").content.decode()


def test_another_teams_people_sessions_contacts_and_checks_answer_404(
    client, team, other_team, supervisor, outsider, lead
):
    stranger = make_person(Role.AGENT, other_team, username="stranger", name="外组")
    session = make_session(other_team, actor=outsider.profile, invitees=[stranger.profile])
    contact = make_contact(other_team, actor=outsider.profile)
    check = QualificationCheck.objects.create(
        profile=stranger.profile,
        team=other_team,
        result="failed",
        date=timezone.localdate(),
        examiner=outsider.profile,
        recorded_by=outsider.profile,
    )
    client.force_login(supervisor)
    for url in [
        f"/people/team-east/people/{stranger.profile.pk}/",
        f"/people/team-east/people/{stranger.profile.pk}/edit/",
        f"/people/team-east/training/{session.pk}/",
        f"/people/team-east/support/{contact.pk}/",
        f"/people/team-east/new-hires/{stranger.profile.pk}/check/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        f"/people/team-east/people/{stranger.profile.pk}/leave/",
        f"/people/team-east/checks/{check.pk}/count-in-draft/",
        f"/people/team-east/skills/{stranger.profile.pk}/{make_skill('vip').pk}/",
    ]:
        assert client.post(url, {"left_on": "2026-12-01", "held": "1"}).status_code == 404, url
    stranger.profile.refresh_from_db()
    assert stranger.profile.left_on is None and not stranger.profile.skills.exists()


def test_add_person_shows_the_activation_link_and_no_password_field(client, team, supervisor):
    client.force_login(supervisor)
    form = client.get("/people/team-east/add/").content.decode()
    assert 'type="password"' not in form
    response = client.post(
        "/people/team-east/add/",
        {
            "name": "周新",
            "employee_number": "E100",
            "role": "agent",
            "new_hire": "on",
            "email": "zx@example.com",
            "phone": "138 0013 8000",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "已添加 周新" in page and "/people/activate/" in page
    profile = Profile.objects.get(employee_number="E100")
    assert (profile.phone, profile.is_qualified) == ("13800138000", False)


def test_bad_input_on_the_person_form_is_explained_and_saves_nothing(client, team, supervisor):
    client.force_login(supervisor)
    response = client.post(
        "/people/team-east/add/",
        {"name": "周新", "employee_number": "E 100", "role": "boss", "phone": "12345", "email": "nope"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "只能包含字母、数字、点、横线和下划线" in page and "“12345”不是电话号码" in page
    assert not Profile.objects.filter(name="周新").exists()


def test_edit_with_a_stale_stamp_is_refused(client, team, supervisor, agent):
    client.force_login(supervisor)
    url = f"/people/team-east/people/{agent.profile.pk}/edit/"
    stale = client.get(url).context["form"].initial["stamp"]
    members.update_person(agent.profile, actor=supervisor.profile, values={"phone": "13800138000"})
    response = client.post(url, {"name": "张伟伟", "employee_number": "E1", "role": "agent", "stamp": stale})
    assert "在此期间有人修改了" in response.content.decode()
    agent.profile.refresh_from_db()
    assert (agent.profile.name, agent.profile.phone) == ("张伟", "13800138000")


def test_skills_matrix_toggles_in_place(client, team, supervisor, agent):
    vip = make_skill("vip", "VIP专线")
    client.force_login(supervisor)
    page = client.get("/people/team-east/skills/").content.decode()
    assert 'data-testid="skill-张伟-VIP专线"' in page and 'aria-pressed="false"' in page
    url = f"/people/team-east/skills/{agent.profile.pk}/{vip.pk}/"
    response = client.post(url, {"held": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert list(agent.profile.skills.all()) == [vip]
    assert client.post(url, {"held": "maybe"}).status_code == 400
    assert list(agent.profile.skills.all()) == [vip]


def test_import_page_previews_bad_rows_then_imports_the_fixed_file(client, team, supervisor):
    make_skill("refund", "退款处理")
    client.force_login(supervisor)
    rows = hr_rows(6)
    rows[3][0] = ""
    response = client.post("/people/team-east/import/", {"file": SimpleUploadedFile("hr.xlsx", xlsx_bytes(rows))})
    page = response.content.decode()
    assert response.status_code == 400 and "缺少工号" in page and 'data-testid="import"' not in page
    assert not Profile.objects.filter(employee_number__startswith="E0").exists()
    rows[3][0] = "E0004"
    response = client.post("/people/team-east/import/", {"file": SimpleUploadedFile("hr.xlsx", xlsx_bytes(rows))})
    checksum = response.context["confirm_form"].initial["checksum"]
    response = client.post("/people/team-east/import/", {"checksum": checksum}, follow=True)
    assert "已导入：新增 6 人，更新 0 人，无变化 0 人。" in response.content.decode()
    assert Profile.objects.filter(employee_number__startswith="E0").count() == 6
    # The confirmation is used up: a second click imports nothing twice.
    response = client.post("/people/team-east/import/", {"checksum": checksum}, follow=True)
    assert "检查过的文件已失效" in response.content.decode()


def test_import_page_keeps_the_people_the_importer_marks_as_working_alone(client, team, supervisor):
    # Issue #27 point 1: no qualification column; E0002 is ticked on the preview, the others become new hires.
    make_skill("refund", "退款处理")
    client.force_login(supervisor)
    response = client.post("/people/team-east/import/", {"file": SimpleUploadedFile("hr.xlsx", xlsx_bytes(hr_rows(3)))})
    page = response.content.decode()
    assert page.count('data-testid="mark-qualified"') == 3 and "新员工，除非您在下方勾选" in page
    checksum = response.context["confirm_form"].initial["checksum"]
    response = client.post("/people/team-east/import/", {"checksum": checksum, "qualified": ["E0002"]}, follow=True)
    assert "1 名新成员被勾选为已独立上岗" in response.content.decode()
    assert dict(
        Profile.objects.filter(employee_number__startswith="E0").values_list("employee_number", "qualification")
    ) == {"E0001": "new_hire", "E0002": "qualified", "E0003": "new_hire"}
    # The choice is recorded: by whom, for whom (session 2: every decision in the audit trail).
    from dutydesk.audit.models import AuditEvent

    recorded = AuditEvent.objects.get(action="people.import")
    assert (recorded.actor_name, recorded.after["marked_qualified"], recorded.after["people_added"]) == (
        supervisor.profile.name,
        ["E0002"],
        3,
    )


def test_import_refuses_a_hostile_file_with_one_message(client, team, supervisor):
    client.force_login(supervisor)
    response = client.post("/people/team-east/import/", {"file": SimpleUploadedFile("hr.xlsx", b"PK\x03\x04junk")})
    assert response.status_code == 400 and "不是 Excel 工作簿" in response.content.decode()


def test_export_downloads_the_team(client, team, supervisor, agent):
    client.force_login(supervisor)
    response = client.get("/people/team-east/export.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('people-team-east.xlsx"')


def test_roster_month_shows_leavers_shifts_to_revise(client, team, supervisor, agent):
    day = timezone.localdate() + timedelta(days=9)
    publish(team, [(agent.profile, duty_shift(team, day), "member")], by=supervisor, keep=True)
    members.mark_left(agent.profile, actor=supervisor.profile, left_on=day - timedelta(days=1))
    client.force_login(supervisor)
    page = client.get(f"/roster/team-east/{day:%Y-%m}/").content.decode()
    assert "以下班次的值班人员届时已离职" in page
    assert f"张伟（{day - timedelta(days=1):%Y-%m-%d} 离职）：{day:%m-%d} 白班" in page


def test_duty_page_shows_the_support_directory_during_a_shift(client, team, supervisor, agent):
    make_contact(team, actor=supervisor.profile)
    client.force_login(agent)
    assert 'data-testid="duty-support"' not in client.get("/logbook/team-east/today/").content.decode()
    signed_in(team, agent)
    page = client.get("/logbook/team-east/today/").content.decode()
    assert 'data-testid="duty-support"' in page and 'href="tel:400-820-1234"' in page


def test_support_directory_edit_refuses_a_line_nobody_can_be_reached_on(client, team, supervisor, agent):
    client.force_login(supervisor)
    response = client.post(
        "/people/team-east/support/new/",
        {"kind": "department", "name": "订单中心", "hours": "每天 09:00-22:00", "order": 1},
    )
    assert response.status_code == 400 and "请至少填写电话" in response.content.decode()
    response = client.post(
        "/people/team-east/support/new/",
        {"kind": "department", "name": "订单中心", "phone": "021 6234 5678", "hours": "每天", "order": 1},
    )
    assert SupportContact.objects.get().phone == "02162345678"
    client.force_login(agent)
    assert client.get("/people/team-east/support/new/").status_code == 403
    assert "订单中心" in client.get("/people/team-east/support/").content.decode()


def test_lead_records_a_pass_from_the_new_hires_page(client, team, supervisor, lead):
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    shadow_history(team, hire, lead.profile, past_weekend_days(2), by=supervisor)
    client.force_login(lead)
    page = client.get("/people/team-east/new-hires/").content.decode()
    assert "可以考核" in page
    response = client.post(
        f"/people/team-east/new-hires/{hire.pk}/check/",
        {"result": "passed", "date": timezone.localdate().isoformat(), "examiner": lead.profile.pk, "note": "熟练"},
        follow=True,
    )
    assert "周新 考核通过" in response.content.decode()
    hire.refresh_from_db()
    assert hire.is_qualified


def test_attendance_page_saves_marks(client, team, supervisor, lead, agent):
    starts = at(timezone.localdate() - timedelta(days=1), 14)
    session = make_session(
        team, actor=supervisor.profile, invitees=[agent.profile], starts_at=starts, now=starts - timedelta(days=2)
    )
    client.force_login(lead)
    response = client.post(
        f"/people/team-east/training/{session.pk}/attendance/", {f"p{agent.profile.pk}": "absent"}, follow=True
    )
    assert "出勤已保存（1 人有变化）" in response.content.decode()
    response = client.post(
        f"/people/team-east/training/{session.pk}/attendance/", {f"p{agent.profile.pk}": "late"}, follow=True
    )
    assert "请为每人选择出席、缺席或请假" in response.content.decode()
    assert session.invitations.get().attendance == "absent"


def test_manager_grants_the_reward_from_the_appraisal_month(client, team, manager, supervisor, agent):
    month = date(2026, 10, 1)
    _streak(team, agent.profile, streak=3, month=month)
    client.force_login(supervisor)
    assert 'data-testid="grant-reward-agent"' not in client.get("/appraisal/team-east/2026-10/").content.decode()
    client.force_login(manager)
    page = client.get("/appraisal/team-east/2026-10/").content.decode()
    assert 'data-testid="grant-reward-agent"' in page
    response = client.post(
        f"/people/team-east/rewards/2026-10/{agent.profile.pk}/", {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/appraisal/team-east/2026-10/"
    assert TrainingReward.objects.get().profile == agent.profile
    page = client.get("/appraisal/team-east/2026-10/").content.decode()
    assert 'data-testid="reward-granted"' in page
    client.force_login(agent)
    assert "获得培训机会：截至 2026-10 连续 3 个月优秀" in client.get("/people/mine/").content.decode()


def test_home_tells_the_supervisor_of_leavers_shifts_and_the_lead_of_checks_due(client, team, supervisor, lead, agent):
    day = timezone.localdate() + timedelta(days=9)
    publish(team, [(agent.profile, duty_shift(team, day), "member")], by=supervisor, keep=True)
    members.mark_left(agent.profile, actor=supervisor.profile, left_on=day)
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    shadow_history(team, hire, lead.profile, past_weekend_days(2), by=supervisor)
    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert f"张伟（{day:%m-%d} 离职）：{day:%m-%d} 白班" in page
    client.force_login(lead)
    assert "周新：已完成 2 个跟岗班次" in client.get("/").content.decode()


def test_supervisor_counts_a_pass_in_the_current_draft_from_the_new_hires_page(client, team, supervisor, lead):
    make_agents(team, 2)
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    days = past_weekend_days(2)
    shadow_history(team, hire, lead.profile, days, by=supervisor)
    next_month = months.next_month(timezone.localdate())
    roster_services.generate_draft(laid_out_month(team, next_month), actor=supervisor.profile)
    check = qualification.record_check(
        profile=hire, actor=lead.profile, result="passed", day=days[-1], examiner=lead.profile
    )
    client.force_login(lead)
    assert 'data-testid="count-in-draft"' not in client.get("/people/team-east/new-hires/").content.decode()
    client.force_login(supervisor)
    assert 'data-testid="count-in-draft"' in client.get("/people/team-east/new-hires/").content.decode()
    response = client.post(f"/people/team-east/checks/{check.pk}/count-in-draft/", follow=True)
    assert f"周新 在 {next_month:%Y-%m} 的排班草稿中按已上岗计算" in response.content.decode()
    hire.refresh_from_db()
    assert hire.qualified_on == next_month

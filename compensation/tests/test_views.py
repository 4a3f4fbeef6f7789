"""The compensation pages in the Chinese UI: what each role sees and may do, the refusals (in Chinese, nothing
changed), 404 for another team's person, the payroll workbook, and the SQL count of the month page."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from appraisal.models import AgentScore, AppraisalStatus, MonthlyAppraisal, ScoreStatus
from compensation import services
from compensation.models import (
    CompensationPolicy,
    CompTimeEntry,
    DutyStatement,
    PolicyException,
    StatementLine,
    StatementResponse,
)
from dutydesk.models import Role
from testdata import at, duty_shift, make_person, publish, shift_type, worked

pytestmark = pytest.mark.django_db
D = Decimal
OCTOBER = date(2026, 10, 1)
AFTER = at(date(2026, 11, 2), 10)


@pytest.fixture
def october(team, agent, lead, supervisor):
    """The agent worked 10-01 (National Day) and Saturday 10-17; the lead Saturday 10-24."""
    holiday, saturday, lead_day = (duty_shift(team, date(2026, 10, d)) for d in (1, 17, 24))
    publish(team, [(agent.profile, holiday), (agent.profile, saturday), (lead.profile, lead_day)], by=supervisor)
    worked(holiday, agent.profile)
    worked(saturday, agent.profile)
    worked(lead_day, lead.profile)
    return services.compute_statement(team=team, month=OCTOBER, now=AFTER)


def text(response) -> str:
    return response.content.decode()


def message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_agent_sees_balance_and_each_ledger_line_traced_to_its_shift(client, agent, october):
    client.force_login(agent)
    page = text(client.get("/compensation/mine/"))
    assert 'data-testid="balance">9.00<' in page
    assert "值班获得" in page and "班次 10-17 白班" in page
    assert "2027-04-17" in page  # expires after 6 months


def test_agent_confirms_or_disputes_their_month(client, agent, october):
    client.force_login(agent)
    page = text(client.get("/compensation/mine/2026-10/"))
    assert 'data-testid="line-holiday">9.00<' in page and 'data-testid="line-pay-units">27.00<' in page
    response = client.post("/compensation/mine/2026-10/respond/", {"kind": "disputed", "comment": ""}, follow=True)
    assert "请说明您有异议的内容" in message(response)
    assert StatementResponse.objects.count() == 0
    response = client.post(
        "/compensation/mine/2026-10/respond/", {"kind": "disputed", "comment": "10-17少算了半小时"}, follow=True
    )
    assert "已提交给值班组长" in message(response)
    assert StatementResponse.objects.get().comment == "10-17少算了半小时"


def test_lead_resolves_a_dispute_and_the_supervisor_then_finalises(client, agent, lead, supervisor, october):
    line = october.lines.get(profile=agent.profile)
    services.respond_to_statement(line, agent=agent.profile, kind="disputed", comment="10-17少算了半小时")
    client.force_login(supervisor)
    response = client.post("/compensation/team-east/2026-10/finalise/", follow=True)
    assert "1 条异议等待值班组长处理" in message(response)
    assert not DutyStatement.objects.get(pk=october.pk).is_finalised
    client.force_login(lead)
    page = text(client.get(f"/compensation/team-east/2026-10/people/{agent.profile.pk}/"))
    assert "10-17少算了半小时" in page and 'data-testid="resolve"' in page
    client.post(
        f"/compensation/team-east/2026-10/people/{agent.profile.pk}/resolve/",
        {"resolution": "已核对签到记录，按系统时间计算"},
    )
    client.force_login(supervisor)
    response = client.post("/compensation/team-east/2026-10/finalise/", follow=True)
    assert "本月已定稿" in message(response)
    assert DutyStatement.objects.get(pk=october.pk).is_finalised
    response = client.post("/compensation/team-east/2026-10/compute/", follow=True)
    assert "本月已定稿" in message(response) and "更正" in message(response)


def test_the_resolve_control_shows_to_whom_the_service_lets_resolve(client, lead, supervisor, october):
    """Issue #28 item 2: a lead reading their own disputed month saw the resolve form the service refuses them."""
    line = october.lines.get(profile=lead.profile)
    services.respond_to_statement(line, agent=lead.profile, kind="disputed", comment="10-24少算了半小时")
    url = f"/compensation/team-east/2026-10/people/{lead.profile.pk}/"
    client.force_login(lead)
    assert 'data-testid="resolve"' not in text(client.get(url))
    client.force_login(supervisor)
    assert 'data-testid="resolve"' in text(client.get(url))


def test_month_page_totals_are_the_sums_of_the_rows(client, lead, october):
    client.force_login(lead)
    response = client.get("/compensation/team-east/2026-10/")
    totals = response.context["totals"]
    assert (totals["rest_day_hours"], totals["holiday_hours"], totals["comp_earned"]) == (
        D("18.00"),
        D("9.00"),
        D("18.00"),
    )
    assert 'data-testid="compute"' not in text(response)  # a lead reads; the supervisor computes


def test_month_page_sql_count_does_not_grow_with_people(client, team, supervisor, django_assert_max_num_queries):
    def month_with(count: int, month: date) -> int:
        people = [make_person(Role.AGENT, team).profile for _ in range(count)]
        shift = duty_shift(team, month.replace(day=5))
        publish(team, [(p, shift) for p in people], by=supervisor)
        services.compute_statement(team=team, month=month, now=AFTER)
        client.force_login(supervisor)
        return month

    small = month_with(2, date(2026, 4, 1))
    with django_assert_max_num_queries(30) as few:
        client.get(f"/compensation/team-east/{small:%Y-%m}/")
    large = month_with(25, date(2026, 9, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/compensation/team-east/{large:%Y-%m}/")


def test_another_teams_person_answers_404(client, supervisor, other_team, october):
    stranger = make_person(Role.AGENT, other_team).profile
    client.force_login(supervisor)
    assert client.get(f"/compensation/team-east/2026-10/people/{stranger.pk}/").status_code == 404
    assert client.post(f"/compensation/team-east/policy/exceptions/{stranger.pk}/remove/").status_code == 404


def test_policy_ratio_zero_refused_in_chinese_and_nothing_changes(client, team, supervisor):
    client.force_login(supervisor)
    form = {
        "step": "policy",
        "rest_day_treatment": "comp_time",
        "rest_day_ratio": "0",
        "rest_day_multiplier": "2",
        "holiday_multiplier": "3",
        "holiday_ratio": "1",
        "expiry_months": "6",
        "reward_hours": "8",
    }
    response = client.post("/compensation/team-east/policy/", form)
    assert response.status_code == 200 and "调休折算比例必须大于 0" in text(response)
    assert not CompensationPolicy.objects.filter(team=team).exists()
    response = client.post(
        "/compensation/team-east/policy/", {**form, "rest_day_ratio": "1.5", "expiry_months": "", "never_expires": "on"}
    )
    assert response.status_code == 302
    policy = CompensationPolicy.objects.get(team=team)
    assert (policy.rest_day_ratio, policy.expiry_months, policy.updated_by) == (D("1.50"), None, supervisor.profile)


def test_supervisor_sets_and_removes_an_exception(client, team, agent, supervisor):
    client.force_login(supervisor)
    response = client.post(
        "/compensation/team-east/policy/",
        {
            "step": "exception",
            "profile": agent.profile.pk,
            "rest_day_treatment": "overtime_pay",
            "holiday_comp_time": "unknown",
            "reason": "本人申请折算加班费",
        },
    )
    assert response.status_code == 302
    assert agent.profile.compensation_exception.rest_day_treatment == "overtime_pay"
    client.post(f"/compensation/team-east/policy/exceptions/{agent.profile.pk}/remove/")
    assert not PolicyException.objects.filter(profile=agent.profile).exists()


def test_payroll_workbook_one_row_per_person_with_hr_columns(client, agent, lead, supervisor, october):
    client.force_login(supervisor)
    response = client.get("/compensation/team-east/2026-10/payroll.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["华东客服组 2026-10", "未定稿", "v1", None]
    assert rows[1][:5] == ["工号", "姓名", "小组", "月份", "值班次数"]
    by_person = {row[1]: dict(zip(rows[1], row, strict=True)) for row in rows[2:]}
    assert set(by_person) == {"张伟", "李娜"}
    mine = by_person["张伟"]
    assert (
        mine["工号"],
        mine["休息日工时"],
        mine["法定节假日工时"],
        mine["法定节假日加班费倍数"],
        mine["加班费折算工时（工时×倍数）"],
        mine["获得调休"],
        mine["调休余额"],
    ) == ("agent", 9, 9, 3, 27, 9, 9)
    assert mine["休息日加班费倍数"] is None  # rest days earn comp time in this team: no multiplier applies
    # Issue #27 point 10: the night hours the month page shows, per person.
    shown = {
        line.profile.name: line.night_hours for line in client.get("/compensation/team-east/2026-10/").context["lines"]
    }
    assert {name: row["夜班工时"] for name, row in by_person.items()} == {n: float(h) for n, h in shown.items()}
    client.force_login(lead)
    assert client.get("/compensation/team-east/2026-10/payroll.xlsx").status_code == 403


def _page_column(page: str, header: str) -> dict[str, str]:
    """A column of the month page's statement table as a reader sees it, by person (parsed from the HTML only)."""
    import re

    table = page.split('data-testid="statement"', 1)[1].split("</table>", 1)[0]
    headers = [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table.split("</thead>")[0])
    ]
    column = headers.index(header)
    values = {}
    for row in re.findall(r'<tr data-testid="statement-row".*?</tr>', table, flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        values[cells[0].split()[0]] = cells[column]
    return values


def test_payroll_excel_and_json_carry_the_night_hours_the_month_page_shows(client, team, agent, lead, supervisor):
    # Issue #27 point 10: the month page showed night hours, the payroll Excel and the statement JSON had no such
    # column. Two night shifts (18:00-24:00) for the agent, one for the lead, and a day shift: the page's "Night
    # hours" column, read from its HTML, is what the Excel and the JSON say, person by person, and not all zero.
    night = shift_type(team, "night")
    shifts = [duty_shift(team, date(2026, 10, d), night) for d in (10, 11, 18)]
    day = duty_shift(team, date(2026, 10, 17))
    publish(
        team,
        [(agent.profile, shifts[0]), (agent.profile, shifts[1]), (lead.profile, shifts[2]), (agent.profile, day)],
        by=supervisor,
    )
    for shift, person in ((shifts[0], agent), (shifts[1], agent), (shifts[2], lead), (day, agent)):
        worked(shift, person.profile)
    services.compute_statement(team=team, month=OCTOBER, now=AFTER)
    client.force_login(supervisor)
    shown = _page_column(text(client.get("/compensation/team-east/2026-10/")), "夜班工时")
    assert shown == {"张伟": "12.00", "李娜": "6.00"}
    sheet = load_workbook(io.BytesIO(client.get("/compensation/team-east/2026-10/payroll.xlsx").content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    night_column = rows[1].index("夜班工时")
    assert {row[1]: f"{row[night_column]:.2f}" for row in rows[2:]} == shown
    out = io.StringIO()
    call_command("duty_statement", "--team", "team-east", "--month", "2026-10", "--format", "json", stdout=out)
    assert {row["name"]: row["night_hours"] for row in json.loads(out.getvalue())["rows"]} == shown


def test_duty_statement_command_json_and_xlsx(tmp_path, team, agent, october):
    out = io.StringIO()
    call_command("duty_statement", "--team", "team-east", "--month", "2026-10", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["team"], data["month"], data["version"], data["status"]) == ("team-east", "2026-10", 1, "open")
    mine = next(row for row in data["rows"] if row["employee_number"] == "agent")
    assert (mine["rest_day_hours"], mine["holiday_hours"], mine["comp_balance"], mine["rest_day_treatment"]) == (
        "9.00",
        "9.00",
        "9.00",
        "comp_time",
    )
    assert mine["night_hours"] == str(
        StatementLine.objects.get(statement__team=team, profile=agent.profile, statement__version=1).night_hours
    )
    target = tmp_path / "payroll.xlsx"
    call_command(
        "duty_statement",
        "--team",
        "team-east",
        "--month",
        "2026-10",
        "--format",
        "xlsx",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    assert load_workbook(target).active.max_row == 4  # title, header, two people
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("duty_statement", "--team", "team-east", "--month", "2026-13")
    with pytest.raises(CommandError, match="no team"):
        call_command("duty_statement", "--team", "nobody", "--month", "2026-10")
    with pytest.raises(CommandError, match="not computed"):
        call_command("duty_statement", "--team", "team-east", "--month", "2026-09")


def test_manager_sees_every_team_and_grants_a_reward_as_comp_time(client, team, agent, manager, october):
    appraisal = MonthlyAppraisal.objects.create(
        team=team, month=date(2026, 9, 1), status=AppraisalStatus.FINALISED, finalised_at=AFTER
    )
    score = AgentScore.objects.create(
        appraisal=appraisal, profile=agent.profile, status=ScoreStatus.NO_DUTY, reward_flag=True, excellent_streak=3
    )
    client.force_login(manager)
    page = text(client.get("/compensation/company/2026-10/"))
    assert "华东客服组" in page and "华南客服组" in page
    assert "张伟" in text(client.get("/compensation/team-east/rewards/"))
    response = client.post(f"/compensation/team-east/rewards/{score.pk}/grant/", {"hours": "8"}, follow=True)
    assert "已为张伟发放 8 小时调休" in message(response)
    assert CompTimeEntry.objects.get(kind="reward").hours == D("8.00")
    response = client.post(f"/compensation/team-east/rewards/{score.pk}/grant/", {"hours": "8"}, follow=True)
    assert "已发放过" in message(response)
    assert CompTimeEntry.objects.filter(kind="reward").count() == 1


def test_correction_button_has_only_its_own_classes():
    # Issue #27 point 11: crispy's Submit added btn-primary under btn-outline-danger.
    import re

    from crispy_forms.utils import render_crispy_form

    from compensation.forms import CorrectionForm

    html = render_crispy_form(CorrectionForm())
    assert re.search(r'class="([^"]*)"[^>]*data-testid="correct"|data-testid="correct"[^>]*class="([^"]*)"', html)
    classes = re.search(r'<input[^>]*data-testid="correct"[^>]*>', html).group(0)
    assert re.search(r'class="([^"]*)"', classes).group(1).split() == ["btn", "btn-outline-danger"]


def test_every_mark_of_the_month_page_is_explained_in_a_legend(client, team, agent, lead, supervisor):
    # Issue #27 point 8: the "!" after most names had only a tooltip, which a touch screen or a printout never shows.
    unrecorded = duty_shift(team, date(2026, 10, 17))
    publish(team, [(agent.profile, unrecorded)], by=supervisor)
    services.compute_statement(team=team, month=OCTOBER, now=AFTER)
    client.force_login(lead)
    page = text(client.get("/compensation/team-east/2026-10/"))
    assert '<span class="badge text-bg-warning" title=' in page  # the mark is there
    legend = page.split('data-testid="marks-legend"', 1)[1].split("</p>", 1)[0]
    assert "!</span> 有班次无考勤记录或有脱岗" in legend and "例外" in legend

"""The supervisor's and the agent's roster pages, through the test client, in the Chinese UI."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dutydesk.months import next_month
from dutydesk.notifications.models import NoticeKind, Notification
from roster import queries, services, team_services
from roster.models import Assignment, Availability, AvailabilityKind, Roster, RosterVersion
from roster.tests.grid_page import parse_grid, row_cells, row_totals
from testdata import MONTH, WEEKENDS, duty_dates, fill_draft, laid_out_month, make_agents, open_month, publish_draft

pytestmark = pytest.mark.django_db
M = f"{MONTH:%Y-%m}"


def url(name, team, **kwargs):
    return reverse(f"roster:{name}", kwargs={"team": team.slug, "month": M, **kwargs})


@pytest.fixture
def month(team, agent, lead):
    make_agents(team, 3)
    return laid_out_month(team)


@pytest.fixture
def generated(month, supervisor):
    services.generate_draft(month, actor=supervisor.profile)
    month.refresh_from_db()
    return month


def cell(client, team, roster, profile, day, value, revision=None):
    roster.refresh_from_db()
    return client.post(
        url("cell", team),
        {
            "profile": profile.id,
            "date": day.isoformat(),
            "value": value,
            "revision": roster.draft_revision if revision is None else revision,
        },
    )


def draft_rows(roster):
    return sorted(
        queries.draft_of(roster).assignments.values_list("profile__name", "date", "duty_shift__shift_type__key")
    )


# --- the grid ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("agents", [10, 60])
def test_draft_grid_queries_do_not_depend_on_agents(client, supervisor, team, agents, django_assert_max_num_queries):
    make_agents(team, agents)
    roster = laid_out_month(team, day_headcount=3, night_headcount=2)
    fill_draft(roster)
    services.start_generation(roster, actor=supervisor.profile)  # a run to show: it comes with the roster row
    client.force_login(supervisor)
    client.get(url("draft", team))  # the first visit remembers the team in the session (a write, once)
    # Issue 14: at most 8 for the whole request (session, user, profile, teams, the roster with its draft, settings
    # and latest run, the agents, the shifts with their holders, the notices' count).
    with django_assert_max_num_queries(8):
        response = client.get(url("draft", team))
    page = response.content.decode()
    assert (response.status_code, page.count('data-testid="row-客服')) == (200, agents)
    assert 'data-testid="generation-running"' in page


def test_draft_grid_is_text_with_one_editor_and_the_choices_of_each_date(client, supervisor, team, month, agent):
    services.set_cell(
        month,
        services.CellChange(profile_id=agent.profile.id, date=WEEKENDS[0], shift_key="night"),
        actor=supervisor.profile,
        expected_revision=None,
    )
    client.force_login(supervisor)
    page = client.get(url("draft", team)).content.decode()
    assert page.count("<select") == 1 and 'id="grid-editor"' in page and "<option" not in page
    cells = row_cells(page, "张伟", WEEKENDS)
    assert (cells[WEEKENDS[0]].text, cells[WEEKENDS[0]].classes, cells[WEEKENDS[1]].text) == ("夜班", ("night",), "")
    choices = json.loads(page.split('id="grid-options" type="application/json">')[1].split("</script>")[0])
    assert choices[WEEKENDS[0].isoformat()] == {
        "q": [["", "—"], ["day|member", "白班"], ["night|member", "夜班"]],
        "n": [
            ["", "—"],
            ["day|member", "白班"],
            ["day|shadow", "白班 （跟岗）"],
            ["night|member", "夜班"],
            ["night|shadow", "夜班 （跟岗）"],
        ],
    }


def test_cell_edit_answers_only_the_rows_it_changed_the_coverage_and_the_problems(
    client, supervisor, team, month, agent
):
    others = list(queries.duty_staff(team).exclude(pk=agent.profile.pk))
    client.force_login(supervisor)
    page = cell(client, team, month, agent.profile, WEEKENDS[0], "day|member").content.decode()
    # The edited row, never the whole grid; the coverage line and the problem list, out of band.
    assert [name for name in parse_grid(page)[1]] == ["张伟"]
    assert 'id="grid-coverage" hx-swap-oob="true"' in page and 'id="grid-problems" hx-swap-oob="true"' in page
    # A fourth night in a row: the row comes back with the problem on its cell, the list says it.
    for day in WEEKENDS[:4]:
        page = cell(client, team, month, others[0], day, "night|member").content.decode()
    assert list(parse_grid(page)[1]) == [others[0].name]
    assert "problem" in row_cells(page, others[0].name, WEEKENDS)[WEEKENDS[3]].classes
    assert "将连续上 4 个夜班" in page.split('data-testid="grid-problems"')[1]


@pytest.mark.parametrize("agents", [10, 60])
def test_published_grid_queries_do_not_depend_on_agents(client, agent, team, agents, django_assert_max_num_queries):
    make_agents(team, agents)
    roster = laid_out_month(team, day_headcount=3, night_headcount=2)
    fill_draft(roster)
    publish_draft(roster, by=agent)
    client.force_login(agent)
    with django_assert_max_num_queries(30):
        response = client.get(url("month", team))
    assert response.status_code == 200


def test_draft_page_before_any_layout_offers_to_lay_out(client, supervisor, team):
    client.force_login(supervisor)
    page = client.get(url("draft", team)).content.decode()
    assert "排班" in page and 'data-testid="prepare"' in page


def test_cell_edit_puts_person_on_shift_and_updates_totals_and_coverage(client, supervisor, team, month, agent):
    client.force_login(supervisor)
    response = cell(client, team, month, agent.profile, WEEKENDS[0], "night|member")
    page = response.content.decode()
    assert draft_rows(month) == [("张伟", WEEKENDS[0], "night")]
    assert f'id="row-{agent.profile.id}" hx-swap-oob="true"' in page
    assert row_totals(page, "张伟") == {"duty": "1", "night": "1", "holiday": "0"}
    assert row_cells(page, "张伟", WEEKENDS)[WEEKENDS[0]].text == "夜班"
    assert f'data-testid="coverage-night-{WEEKENDS[0].isoformat()}">1/1<' in page
    assert 'data-testid="cell-error"' not in page


def test_cell_edit_on_unavailable_day_is_refused_and_cell_unchanged(client, supervisor, team, month, agent):
    Availability.objects.create(profile=agent.profile, date=WEEKENDS[1], kind=AvailabilityKind.UNAVAILABLE)
    client.force_login(supervisor)
    cell(client, team, month, agent.profile, WEEKENDS[0], "day|member")
    page = cell(client, team, month, agent.profile, WEEKENDS[1], "day|member").content.decode()
    assert "03-07 白班：张伟 已申报当天不能值班" in page
    assert draft_rows(month) == [("张伟", WEEKENDS[0], "day")]
    assert 'data-testid="cell-error"' in page


def test_cell_edit_with_stale_revision_is_refused(client, supervisor, team, month, agent):
    client.force_login(supervisor)
    cell(client, team, month, agent.profile, WEEKENDS[0], "day|member")
    page = cell(client, team, month, agent.profile, WEEKENDS[1], "day|member", revision=0).content.decode()
    assert "其他人修改了这份排班表" in page
    assert draft_rows(month) == [("张伟", WEEKENDS[0], "day")]


def test_cell_edit_breaking_a_rule_is_kept_and_shown_and_blocks_publish(client, supervisor, team, month, agent):
    client.force_login(supervisor)
    for day in WEEKENDS[:4]:
        cell(client, team, month, agent.profile, day, "night|member")
    page = client.get(url("draft", team)).content.decode()
    assert len(draft_rows(month)) == 4
    problems = page.split('data-testid="grid-problems"')[1].split("</ul>")[0]
    assert "<li>03-14：张伟 将连续上 4 个夜班，最多 3 个</li>" in problems
    # Four nights in a row on weekend duty days take both days of two weekends: the rest day goes too (R-LAW-1).
    # The cells are highlighted on the grid at once, and say why.
    cells = row_cells(page, "张伟", WEEKENDS)
    assert [day for day, c in cells.items() if "problem" in c.classes] == [WEEKENDS[1], WEEKENDS[3]]
    assert cells[WEEKENDS[3]].title.startswith("03-14：张伟 将连续上 4 个夜班，最多 3 个; ")
    assert 'data-testid="publish" disabled' in page
    month.refresh_from_db()
    response = client.post(
        url("publish", team), {"accept_provisional": "on", "revision": month.draft_revision}, follow=True
    )
    assert (
        RosterVersion.objects.filter(roster=month, number__isnull=False).count(),
        "不能发布" in response.content.decode(),
    ) == (0, True)


def test_cell_edit_of_unknown_person_answers_a_message(client, supervisor, team, month, outsider):
    client.force_login(supervisor)
    page = cell(client, team, month, outsider.profile, WEEKENDS[0], "day|member").content.decode()
    assert 'data-testid="cell-error"' in page
    assert queries.draft_of(month) is None


# --- generation ------------------------------------------------------------------------------------------------


def test_generate_month_with_no_shifts_says_so_and_changes_nothing(client, supervisor, team, agent):
    client.force_login(supervisor)
    page = client.post(url("generate", team), follow=True).content.decode()
    assert "没有值班班次" in page
    assert RosterVersion.objects.count() == 0


def test_generate_team_with_no_agents_says_so(client, supervisor, team):
    laid_out_month(team)
    client.force_login(supervisor)
    page = client.post(url("generate", team), follow=True).content.decode()
    assert "没有可排班的客服" in page
    assert RosterVersion.objects.count() == 0


def test_generate_twice_queues_one_run(client, supervisor, team, month, django_capture_on_commit_callbacks):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url("generate", team))
        client.post(url("generate", team))
    assert month.generation_runs.count() == 1
    page = client.get(url("draft", team)).content.decode()
    assert 'data-testid="generation-running"' in page and "every 1s" in page


def test_generation_done_reloads_the_page_which_shows_the_result_and_the_balance(client, supervisor, team, month):
    run = month.generation_runs.create(requested_by=supervisor)
    services.run_generation(run)
    client.force_login(supervisor)
    response = client.get(url("generation", team) + f"?run={run.id}", HTTP_HX_REQUEST="true")
    page = client.get(url("draft", team)).content.decode()
    assert response["HX-Refresh"] == "true"
    assert 'data-testid="generation-summary"' in response.content.decode()
    assert ('data-testid="score"' in page, "本月值班次数差" in page) == (True, True)


def test_generation_infeasible_explains_which_shift_and_why(client, supervisor, team, agent, lead):
    from testdata import make_skill

    vip = make_skill("vip", "VIP")
    laid_out_month(team, night_headcount=2, skills=[vip])
    agent.profile.skills.add(vip)
    roster = Roster.objects.get(team=team, month=MONTH)
    run = roster.generation_runs.create(requested_by=supervisor)
    services.run_generation(run)
    client.force_login(supervisor)
    page = client.get(url("draft", team)).content.decode()
    problems = page[
        page.index('data-testid="generation-problems"') : page.index(
            "</ul>", page.index('data-testid="generation-problems"')
        )
    ]
    # One sentence for the night's 8 short dates, the skill by its display name (not its code).
    assert problems.count("<li>") == 1
    assert (
        "夜班（03-06、03-07、03-13、03-14、03-20、03-21、03-27、03-28） 需要技能 VIP：只有 1 名合格客服可用，需要 2 名"
        in problems
    )


# --- publication, confirmation, revision, versions ---------------------------------------------------------------


def test_publish_then_double_click_gives_one_version_and_a_friendly_message(client, supervisor, team, generated):
    client.force_login(supervisor)
    revision = generated.draft_revision
    first = client.post(url("publish", team), {"accept_provisional": "on", "revision": revision}, follow=True)
    second = client.post(url("publish", team), {"accept_provisional": "on", "revision": revision}, follow=True)
    assert list(RosterVersion.objects.filter(roster=generated).values_list("number", flat=True)) == [1]
    assert "第 1 版已发布；已通知全组。" in first.content.decode()
    assert "这份排班表已经发布（第 1 版）；未做任何更改。" in second.content.decode()
    assert Notification.objects.filter(kind=NoticeKind.ROSTER_PUBLISHED).count() == team.members.count()


def test_publish_with_stale_revision_is_refused(client, supervisor, team, generated):
    client.force_login(supervisor)
    page = client.post(
        url("publish", team), {"accept_provisional": "on", "revision": generated.draft_revision - 1}, follow=True
    )
    assert "其他人修改了这份排班表" in page.content.decode()
    assert generated.versions.filter(number__isnull=False).count() == 0


def test_agent_confirms_and_supervisor_sees_who_has_not(client, supervisor, team, generated, agent, lead):
    services.publish_roster(generated, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    client.force_login(agent)
    page = client.post(reverse("roster:acknowledge", kwargs={"month": M}), follow=True).content.decode()
    assert 'data-testid="confirmed"' in page
    client.force_login(supervisor)
    page = client.get(url("month", team)).content.decode()
    unconfirmed = page.split('data-testid="unconfirmed"')[1].split("</div>")[0]
    assert ("张伟" in unconfirmed, "李娜" in unconfirmed) == (False, True)


def test_revision_needs_a_reason_then_versions_compare(client, supervisor, team, generated, agent):
    services.publish_roster(generated, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    client.force_login(supervisor)
    client.post(url("revise", team))
    generated.refresh_from_db()
    held = (
        generated.published_version.assignments.filter(profile=agent.profile)
        .select_related("duty_shift__shift_type")
        .first()
    )
    value = f"{held.duty_shift.shift_type.key}|{held.role}"
    for other in queries.duty_staff(team).exclude(id=agent.profile.id):
        if queries.draft_of(generated).assignments.filter(profile=other, date=held.date).exists():
            continue
        # A colleague takes the agent's shift; keep the first hand-over that breaks no hard rule.
        cell(client, team, generated, other, held.date, value)
        cell(client, team, generated, agent.profile, held.date, "")
        if not services.draft_violations(generated):
            break
        cell(client, team, generated, other, held.date, "")
        cell(client, team, generated, agent.profile, held.date, value)
    assert services.draft_violations(generated) == []
    generated.refresh_from_db()
    no_reason = client.post(
        url("publish", team),
        {"accept_provisional": "on", "revision": generated.draft_revision, "reason": ""},
        follow=True,
    )
    assert "更改已发布的排班表需要理由。" in no_reason.content.decode()
    assert generated.versions.filter(number__isnull=False).count() == 1
    client.post(
        url("publish", team),
        {"accept_provisional": "on", "revision": generated.draft_revision, "reason": "张伟家里有事"},
        follow=True,
    )
    assert list(generated.versions.values_list("number", "kind", "reason")) == [
        (1, "publication", ""),
        (2, "revision", "张伟家里有事"),
    ]
    page = client.get(url("versions", team)).content.decode()
    comparison = page.split('data-testid="comparison"')[1]
    assert f"{held.date:%m-%d} {held.duty_shift.shift_type.name}" in comparison.split("张伟")[1].split("</tr>")[0]


def test_more_people_than_needed_is_a_warning_published_after_confirming(client, supervisor, team, generated):
    # R-ROSTER-5: the headcount is a minimum; the supervisor may put an extra person on a busy night.
    draft = queries.draft_of(generated)
    day = WEEKENDS[0]
    # Someone off both days of the weekend: a night on Saturday keeps their Sunday free (R-LAW-1).
    weekend = draft.assignments.filter(date__in=WEEKENDS[:2]).values("profile_id")
    extra = queries.duty_staff(team).exclude(id__in=weekend).first()
    client.force_login(supervisor)
    cell(client, team, generated, extra, day, "night|member")
    page = client.get(url("draft", team)).content.decode()
    assert 'data-testid="grid-warnings"' in page and f"{day:%m-%d} 夜班 排了 2 人，只需要 1 人" in page
    assert 'data-testid="accept-warnings"' in page
    generated.refresh_from_db()

    refused = client.post(
        url("publish", team), {"accept_provisional": "on", "revision": generated.draft_revision}, follow=True
    )
    assert "人数多于需要" in refused.content.decode()
    assert generated.versions.filter(number__isnull=False).count() == 0
    client.post(
        url("publish", team),
        {"accept_provisional": "on", "revision": generated.draft_revision, "accept_warnings": "on"},
        follow=True,
    )
    assert generated.versions.filter(number__isnull=False).count() == 1


def test_versions_name_who_published_not_who_drafted(client, supervisor, team, month):
    services.generate_draft(month, actor=None)  # the scheduled job (or the demo) made the draft
    client.force_login(supervisor)
    month.refresh_from_db()
    client.post(url("publish", team), {"accept_provisional": "on", "revision": month.draft_revision}, follow=True)
    page = client.get(url("versions", team)).content.decode()
    assert month.versions.get(number=1).published_by == supervisor
    assert page.split('data-testid="published-by-1">')[1].split("<")[0] == supervisor.profile.name


def test_balance_panel_figures_are_the_grids_recount(client, supervisor, team, month):
    # A hand-made draft: 张伟 on 3 day shifts, 李娜 (the lead) on none: the spread is 3 - 0 over everyone.
    staff = list(queries.duty_staff(team))
    agent = next(p for p in staff if p.name == "张伟")
    client.force_login(supervisor)
    for day in WEEKENDS[:3]:
        cell(client, team, month, agent, day, "day|member")
    page = client.get(url("draft", team)).content.decode()
    duty_totals = [int(row_totals(page, p.name)["duty"]) for p in staff]
    shown = int(page.split('data-testid="spread-value-duty_spread">')[1].split("<")[0])
    assert shown == max(duty_totals) - min(duty_totals) == 3
    most = page.split('data-testid="spread-most-duty_spread">')[1].split("<")[0]
    assert most == "3 · 张伟"
    assert 'data-testid="balance-uneven"' in page


def test_balance_panel_says_why_a_scarce_skill_keeps_the_spread_high(client, supervisor, team, agent, lead):
    from testdata import make_skill

    vip = make_skill("vip", "VIP专线")
    make_agents(team, 3)
    roster = laid_out_month(team, skills=[vip])  # nights need VIP; only 张伟 holds it
    agent.profile.skills.add(vip)
    services.generate_draft(roster, actor=supervisor.profile)
    client.force_login(supervisor)
    page = client.get(url("draft", team)).content.decode()
    reasons = page.split('data-testid="balance-reasons"')[1].split("</ul>")[0]
    # 张伟 may take one date of each weekend (R-LAW-1): 4 of the 8 nights, all his.
    assert "只有 1 名客服具备 VIP专线，要承担 4 个班次" in reasons


# --- settings and availability -----------------------------------------------------------------------------------


def test_settings_save_duty_weekdays_and_publish_days(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        reverse("roster:settings", kwargs={"team": team.slug}),
        {
            "duty_weekdays": ["4", "5", "6"],
            "holidays_are_duty_days": "on",
            "workdays_are_not_duty_days": "on",
            "preset_promotion_days": "on",
            "publish_days_ahead": "10",
            "availability_closes_days": "3",
            "max_consecutive_nights": "3",
            "shadow_shifts_required": "2",
            "solver_time_limit_s": "10",
            "leave_notice_hours": "24",
            **LAW_DEFAULTS,
            "wish_window_opens_day": "1",
            "wish_window_closes_day": "15",
            "wish_days_off": "2",
            "wish_weight": "3",
        },
    )
    settings = queries.settings_for(team)
    assert (response.status_code, settings.duty_weekdays, settings.publish_days_ahead) == (302, [4, 5, 6], 10)


LAW_DEFAULTS = {
    "working_time_system": "standard",
    "regular_weekdays": ["0", "1", "2", "3", "4"],
    "extended_hours_cap": "36",
    "settlement_months": "1",
    "count_comp_time_hours": "on",
}


def test_settings_save_the_working_time_system_and_refuse_a_cap_above_the_law(client, supervisor, team):
    client.force_login(supervisor)
    base = {
        "duty_weekdays": ["5", "6"],
        "publish_days_ahead": "7",
        "availability_closes_days": "3",
        "max_consecutive_nights": "3",
        "shadow_shifts_required": "2",
        "solver_time_limit_s": "10",
        "leave_notice_hours": "24",
        "wish_window_opens_day": "1",
        "wish_window_closes_day": "15",
        "wish_days_off": "2",
        "wish_weight": "3",
    }
    url_ = reverse("roster:settings", kwargs={"team": team.slug})
    refused = client.post(url_, {**base, **LAW_DEFAULTS, "extended_hours_cap": "40"})
    assert (refused.status_code, queries.settings_for(team).extended_hours_cap) == (200, 36)
    assert "最多 36 小时（《劳动法》第四十一条）" in refused.content.decode()

    saved = client.post(
        url_,
        {
            **base,
            "working_time_system": "comprehensive",
            "regular_weekdays": ["1", "2", "3", "4", "5"],
            "extended_hours_cap": "30",
            "settlement_months": "3",
        },
    )
    settings = queries.settings_for(team)
    assert (saved.status_code, settings.working_time_system, settings.regular_weekdays) == (
        302,
        "comprehensive",
        [1, 2, 3, 4, 5],
    )
    assert (settings.extended_hours_cap, settings.settlement_months, settings.count_comp_time_hours) == (30, 3, False)
    # The change and who made it are in the audit trail; the refused cap recorded nothing.
    from dutydesk.audit.models import AuditEvent

    (event,) = AuditEvent.objects.filter(action="roster.settings")
    assert event.actor_id == supervisor.profile.pk
    law = [k for k in event.after if k in LAW_DEFAULTS]
    assert {k: (event.before[k], event.after[k]) for k in law} == {
        "working_time_system": ("standard", "comprehensive"),
        "regular_weekdays": ([0, 1, 2, 3, 4], [1, 2, 3, 4, 5]),
        "extended_hours_cap": (36, 30),
        "settlement_months": (1, 3),
        "count_comp_time_hours": (True, False),
    }
    history = client.get(reverse("audit:team", kwargs={"team": team.slug})).content.decode()
    assert "综合计算工时" in history


def test_settings_refuse_bad_time_limit_and_change_nothing(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        reverse("roster:settings", kwargs={"team": team.slug}),
        {
            "duty_weekdays": ["5", "6"],
            "publish_days_ahead": "7",
            "availability_closes_days": "3",
            "max_consecutive_nights": "3",
            "shadow_shifts_required": "2",
            "solver_time_limit_s": "999",
            "leave_notice_hours": "24",
            **LAW_DEFAULTS,
            "wish_window_opens_day": "1",
            "wish_window_closes_day": "15",
            "wish_days_off": "2",
            "wish_weight": "3",
        },
    )
    assert (response.status_code, queries.settings_for(team).solver_time_limit_s) == (200, 10)
    assert "300" in response.content.decode()


def test_shift_type_created_with_skills_lays_out_open_month(client, supervisor, team, month):
    from testdata import make_skill

    vip = make_skill("vip", "VIP")
    client.force_login(supervisor)
    response = client.post(
        reverse("roster:shift-new", kwargs={"team": team.slug}),
        {
            "key": "late",
            "name": "晚班",
            "start": "14:00",
            "end": "22:00",
            "headcount": "1",
            "order": "3",
            "active": "on",
            "required_skills": [vip.id],
        },
    )
    assert response.status_code == 302
    assert queries.month_shifts(month).filter(shift_type__key="late").count() == len(WEEKENDS)


def test_promotion_override_makes_a_weekday_a_duty_day_with_ab_pairs(client, supervisor, team, month):
    client.force_login(supervisor)
    client.post(
        reverse("roster:overrides", kwargs={"team": team.slug}),
        {"date": "2027-03-10", "kind": "promotion", "note": "大促"},
    )
    shifts = queries.month_shifts(month).filter(date=date(2027, 3, 10))
    assert sorted(shifts.values_list("shift_type__key", "is_promotion", "headcount")) == [
        ("day", True, 2),
        ("night", True, 2),
    ]


def test_availability_saved_before_deadline(client, agent, team):
    month = open_month(timezone.localdate())
    laid_out_month(team, month)
    day = duty_dates(team, month)[0]
    client.force_login(agent)
    response = client.post(
        reverse("roster:availability", kwargs={"month": f"{month:%Y-%m}"}),
        {f"kind_{day:%Y%m%d}": "unavailable", f"note_{day:%Y%m%d}": "家里有事"},
    )
    assert response.status_code == 302
    assert list(Availability.objects.values_list("date", "kind", "note")) == [(day, "unavailable", "家里有事")]


def test_availability_after_deadline_is_read_only(client, agent, team):
    client.force_login(agent)
    past = date(2026, 1, 1)
    page = client.get(reverse("roster:availability", kwargs={"month": "2026-01"})).content.decode()
    assert 'data-testid="availability-closed"' in page and "截止" in page
    response = client.post(
        reverse("roster:availability", kwargs={"month": "2026-01"}), {"kind_20260103": "unavailable"}, follow=True
    )
    assert "2026-01 的可用时间申报已于" in response.content.decode()
    assert Availability.objects.filter(date__gte=past).count() == 0


# --- the agent's own shifts, feed, exports -------------------------------------------------------------------------


def _no_presets(team):
    settings = queries.settings_for(team)
    settings.preset_promotion_days = False
    settings.save()


def _flexible(team) -> None:
    settings = queries.settings_for(team)
    settings.working_time_system = "flexible"
    settings.save(update_fields=["working_time_system"])


def test_my_shifts_lists_next_shifts_with_teammates(client, agent, lead, team, supervisor):
    today = timezone.localdate()
    _no_presets(team)
    # Next month is whatever month the suite runs before: some have a 调休 week whose one rest date is a duty
    # day, which no one may take under standard hours (R-LAW-1). This is about the page, so the team works
    # flexible hours (不定时), where that rule does not apply, and has people enough for any month.
    _flexible(team)
    make_agents(team, 5)
    roster = laid_out_month(team, month=next_month(today))
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    mine = list(queries.shifts_of(agent.profile, start=today))
    client.force_login(agent)
    page = client.get(reverse("roster:mine")).content.decode()
    assert page.count('data-testid="my-shift"') == len(mine) > 0


def test_feed_serves_ical_without_login_and_reset_cuts_old_address(client, agent, team, generated, supervisor):
    services.publish_roster(generated, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    generated.refresh_from_db()
    feed = team_services.calendar_feed_for(agent.profile)
    old = reverse("roster:feed", kwargs={"token": feed.token})
    response = client.get(old)
    body = response.content.decode()
    count = Assignment.objects.filter(version=generated.published_version, profile=agent.profile).count()
    assert (response.status_code, response["Content-Type"], body.count("BEGIN:VEVENT")) == (
        200,
        "text/calendar; charset=utf-8",
        count,
    )
    client.force_login(agent)
    client.post(reverse("roster:feed-reset"))
    client.logout()
    assert client.get(old).status_code == 404
    assert (
        client.get(
            reverse("roster:feed", kwargs={"token": team_services.calendar_feed_for(agent.profile).token})
        ).status_code
        == 200
    )


def test_home_shows_supervisor_next_month_status_and_agent_next_shifts(client, supervisor, agent, team):
    today = timezone.localdate()
    _no_presets(team)
    # Next month is whatever month the suite runs before: some have a 调休 week whose one rest date is a duty
    # day, which no one may take under standard hours (R-LAW-1). This is about the page, so the team works
    # flexible hours (不定时), where that rule does not apply, and has people enough for any month.
    _flexible(team)
    make_agents(team, 5)
    roster = laid_out_month(team, month=next_month(today))
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert 'data-testid="home-roster-status"' in page and "张伟" in page.split('data-testid="home-unconfirmed"')[1]
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert 'data-testid="home-next-shifts"' in page and 'data-testid="home-confirm"' in page


def test_print_view_has_the_grid_and_print_styles(client, agent, team, generated, supervisor):
    services.publish_roster(generated, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    client.force_login(agent)
    page = client.get(url("print", team)).content.decode()
    assert ('data-testid="roster-grid"' in page, "roster/roster.css" in page, "<select" in page) == (True, True, False)


def test_by_day_view_lists_each_shift_with_its_people(client, agent, team, generated, supervisor):
    services.publish_roster(generated, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    generated.refresh_from_db()
    first = (
        generated.published_version.assignments.filter(date=WEEKENDS[0])
        .select_related("profile", "duty_shift__shift_type")
        .order_by("duty_shift__starts_at", "profile__name")
    )
    client.force_login(agent)
    page = client.get(url("days", team)).content.decode()
    day = page.split(f'data-testid="day-{WEEKENDS[0].isoformat()}"')[1].split("</section>")[0]
    assert all(a.profile.name in day for a in first) and "白班" in day and "夜班" in day


def test_supervisor_sees_declared_availability_of_the_team(client, supervisor, agent, team):
    laid_out_month(team)
    Availability.objects.create(profile=agent.profile, date=WEEKENDS[2], kind=AvailabilityKind.UNAVAILABLE, note="体检")
    client.force_login(supervisor)
    page = client.get(url("availability-all", team)).content.decode()
    row = page.split("张伟</th>")[1].split("</tr>")[0]
    assert ('title="体检"' in row, "不能值班" in row) == (True, True)


def test_cell_edit_with_unknown_role_is_refused_without_error(client, supervisor, team, month, agent):
    client.force_login(supervisor)
    response = cell(client, team, month, agent.profile, WEEKENDS[0], "day|boss")
    assert (response.status_code, "无法识别这次更改" in response.content.decode()) == (200, True)
    assert queries.draft_of(month) is None


def test_cell_edit_on_a_date_without_that_shift_is_refused(client, supervisor, team, month, agent):
    client.force_login(supervisor)
    page = cell(client, team, month, agent.profile, date(2027, 3, 9), "day|member").content.decode()
    assert "该日期没有这个班次。" in page
    assert queries.draft_of(month) is None

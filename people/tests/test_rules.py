"""People rules on plain values: no database."""

from datetime import date, datetime, timedelta, timezone

import pytest

from people import rules
from people.rules import Lookups, Person

SHANGHAI = timezone(timedelta(hours=8))


def lookups(**overrides) -> Lookups:
    values = {
        "teams": {"华东客服组": "team-east", "teameast": "team-east", "华南客服组": "team-south"},
        "skills": {"退款处理": "refund", "refund": "refund", "vip专线": "vip", "vip": "vip"},
        "default_team": "team-east",
        "existing": {},
    }
    values.update(overrides)
    return Lookups(**values)


def table(*rows, header=("工号", "姓名", "团队", "角色", "技能", "手机", "邮箱")):
    return [(1, list(header))] + [(n, list(row)) for n, row in enumerate(rows, start=2)]


def test_headers_by_chinese_or_english_name_any_case_and_spacing():
    columns, problems = rules.map_headers(["Employee No", "NAME", "手机号码", "E-Mail", "企业微信", "其他"])
    assert problems == []
    assert columns == {"employee_number": 0, "name": 1, "phone": 2, "email": 3, "wecom_id": 4}


def test_headers_without_employee_number_or_twice_the_same_column_are_a_file_problem():
    _columns, problems = rules.map_headers(["姓名", "手机", "电话"])
    assert [str(p) for p in problems] == ["“电话”列出现了两次。", "文件中没有“工号”列。"]


def test_clean_file_every_row_new():
    preview = rules.check_file(
        table(["E001", "张伟", "华东客服组", "客服", "退款处理、VIP专线", "138 0013 8000", "Zhang.Wei@Example.com"]),
        lookups(),
    )
    assert preview.is_clean and [r.status for r in preview.rows] == ["new"]
    assert preview.rows[0].person == Person(
        employee_number="E001",
        name="张伟",
        team="team-east",
        role="agent",
        skills=frozenset({"refund", "vip"}),
        phone="13800138000",
        email="zhang.wei@example.com",
    )


def test_every_bad_row_is_listed_with_every_reason():
    preview = rules.check_file(
        table(
            ["", "张伟", "", "", "", "", ""],
            ["E002", "李娜", "华北客服组", "主管", "插花", "12345", "not-an-email"],
            ["E003", "王芳", "", "组长", "", "021-62345678", ""],
            ["E003", "刘强", "", "", "", "", ""],
        ),
        lookups(),
    )
    assert not preview.is_clean
    reasons = {row.line: [str(e) for e in row.errors] for row in preview.bad}
    assert reasons == {
        2: ["缺少工号。"],
        3: [
            "未知团队“华北客服组”。",
            "未知角色“主管”：请填写“客服”或“值班组长”。",
            "未知技能“插花”。",
            "“12345”不是电话号码。",
            "“not-an-email”不是电子邮箱地址。",
        ],
        5: ["工号 E003 与第 4 行重复。"],
    }
    assert [r.status for r in preview.rows] == ["bad", "bad", "new", "bad"]


def test_row_without_team_and_no_default_team_is_bad():
    preview = rules.check_file(table(["E001", "张伟", "", "", "", "", ""]), lookups(default_team=None))
    assert [str(e) for e in preview.rows[0].errors] == ["缺少团队。"]


def test_same_row_again_is_unchanged_and_a_changed_phone_is_a_change():
    now = Person(
        employee_number="E001",
        name="张伟",
        team="team-east",
        role="agent",
        skills=frozenset({"refund"}),
        phone="13800138000",
        email="zw@example.com",
    )
    same = table(["E001", "张伟", "华东客服组", "客服", "退款处理", "13800138000", "ZW@example.com"])
    changed = table(["E001", "张伟", "华东客服组", "客服", "退款处理", "13900139000", "zw@example.com"])
    assert [r.status for r in rules.check_file(same, lookups(existing={"E001": now})).rows] == ["unchanged"]
    row = rules.check_file(changed, lookups(existing={"E001": now})).rows[0]
    assert (row.status, row.changes) == ("changed", ["phone"])


def test_empty_leaving_date_in_the_file_never_undoes_one():
    now = Person(employee_number="E001", name="张伟", team="team-east", role="agent", left_on=date(2026, 12, 15))
    rows = [(1, ["工号", "姓名", "离职日期"]), (2, ["E001", "张伟", ""])]
    assert rules.check_file(rows, lookups(existing={"E001": now})).rows[0].status == "unchanged"
    rows = [(1, ["工号", "姓名", "离职日期"]), (2, ["E001", "张伟", "2026/12/31"])]
    row = rules.check_file(rows, lookups(existing={"E001": now})).rows[0]
    assert (row.status, row.changes, row.person.left_on) == ("changed", ["left_on"], date(2026, 12, 31))


def test_qualification_in_the_file_is_read_for_new_people_only():
    now = Person(employee_number="E001", name="张伟", team="team-east", role="agent", qualified=True)
    rows = [(1, ["工号", "姓名", "上岗资格"]), (2, ["E001", "张伟", "新人"]), (3, ["E002", "李娜", "新员工"])]
    preview = rules.check_file(rows, lookups(existing={"E001": now}))
    assert [(r.status, r.person.qualified) for r in preview.rows] == [("unchanged", False), ("new", False)]


def test_people_of_other_teams_supervisors_taken_logins_and_busy_movers_are_refused():
    supervisor = Person(employee_number="S1", name="王芳", team="team-east", role="supervisor")
    busy = Person(employee_number="E9", name="赵敏", team="team-south", role="agent")
    rows = [(1, ["工号", "姓名"]), (2, ["E1", "甲"]), (3, ["S1", "王芳"]), (4, ["admin", "乙"]), (5, ["E9", "赵敏"])]
    preview = rules.check_file(
        rows,
        lookups(
            existing={"S1": supervisor, "E9": busy},
            elsewhere=frozenset({"E1"}),
            taken_usernames=frozenset({"admin"}),
            busy=frozenset({"E9"}),
        ),
    )
    assert [[str(e) for e in r.errors] for r in preview.rows] == [
        ["工号 E1 属于你不负责的团队中的人员。"],
        ["工号 S1 是主管或经理的账号，导入不会修改它。"],
        ["登录名 admin 已被其他账号使用。"],
        ["赵敏 在当前团队的排班表中今天起还有班次；请先修订排班表，再调往其他团队。"],
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("021-62345678", "021-62345678"),
        ("0755-8765432-801", "0755-8765432-801"),
        ("400-820-6688", "400-820-6688"),
        ("12345", None),
        ("1380013800", None),
        ("23800138000", None),
        ("电话", None),
    ],
)
def test_phone_numbers_mobile_landline_or_hotline(text, expected):
    assert rules.normalise_phone(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026/3/1", date(2026, 3, 1)),
        ("2026.03.01", date(2026, 3, 1)),
        ("2026年3月1日", date(2026, 3, 1)),
        ("2026-02-30", None),
        ("3/1/2026", None),
        ("明天", None),
    ],
)
def test_dates_as_hr_writes_them(text, expected):
    assert rules.parse_date(text) == expected


def test_roles_and_qualification_words():
    assert [rules.parse_role(w) for w in ("", "客服", "Agent", "值班组长", "Team lead", "经理")] == [
        "agent",
        "agent",
        "agent",
        "lead",
        "lead",
        None,
    ]
    # An empty cell says nothing (issue #27 point 1: it no longer means qualified); 优秀 is unknown.
    assert [rules.parse_qualification(w) for w in ("", "已独立上岗", "Qualified", "新人", "New hire", "优秀")] == [
        None,
        True,
        True,
        False,
        False,
        None,
    ]


def test_r_roster_6_check_is_due_once_the_team_number_of_shadow_shifts_is_done():
    assert [rules.check_is_due(shadow_shifts_done=n, required=2) for n in (0, 1, 2, 3)] == [False, False, True, True]
    assert (
        str(rules.pass_refusal(shadow_shifts_done=1, required=2)) == "已完成 1/2 个跟岗班次；全部完成后才能通过考核。"
    )
    assert rules.pass_refusal(shadow_shifts_done=2, required=2) is None


def test_r_roster_6_a_pass_counts_from_the_next_month_without_a_roster():
    today = date(2026, 11, 20)
    assert rules.qualified_from(today, set()) == date(2026, 12, 1)
    assert rules.qualified_from(today, {date(2026, 11, 1), date(2026, 12, 1)}) == date(2027, 1, 1)
    assert rules.qualified_from(date(2026, 12, 31), {date(2027, 1, 1), date(2027, 2, 1)}) == date(2027, 3, 1)


def test_r_roster_6_the_supervisor_may_count_a_pass_in_the_current_draft_only():
    today = date(2026, 11, 20)
    assert rules.draft_month_before(date(2027, 1, 1), [date(2026, 12, 1)], today) == date(2026, 12, 1)
    assert rules.draft_month_before(date(2026, 12, 1), [date(2026, 12, 1)], today) is None
    assert rules.draft_month_before(date(2027, 1, 1), [date(2026, 10, 1)], today) is None
    assert rules.shadowing_restarts(date(2026, 11, 20)) == date(2026, 11, 21)


def test_r_train_1_reminder_once_in_the_day_before_the_session():
    starts = datetime(2026, 12, 5, 14, tzinfo=SHANGHAI)
    due = [
        rules.reminder_due(starts_at=starts, now=starts - timedelta(hours=h), reminded=False, cancelled=False)
        for h in (25, 24, 1, 0)
    ]
    assert due == [False, True, True, False]
    assert not rules.reminder_due(starts_at=starts, now=starts - timedelta(hours=2), reminded=True, cancelled=False)
    assert not rules.reminder_due(starts_at=starts, now=starts - timedelta(hours=2), reminded=False, cancelled=True)


def test_r_app_5_reward_needs_the_team_number_of_excellent_months():
    assert str(rules.reward_refusal(excellent_streak=2, reward_after=3)) == "连续优秀 2 个月；奖励需要 3 个月。"
    assert rules.reward_refusal(excellent_streak=3, reward_after=3) is None


def test_attendance_rate_counts_excused_people_out():
    assert rules.attendance_rate({"present": 9, "absent": 1, "excused": 5}) == 90
    assert rules.attendance_rate({"excused": 2}) is None

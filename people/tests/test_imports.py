"""Importing the HR file: preview lists every bad row, nothing is written until the file is clean, the same file
again changes nothing, a changed row updates that person; the export imports back unchanged."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation
from openpyxl import load_workbook

from dutydesk.models import Profile, Qualification, Role
from dutydesk.spreadsheets import UnreadableFile, read_table
from people import exports, rules
from people.models import EventKind, PeopleImport, PersonEvent
from people.services import PeopleError
from people.services.imports import import_people, preview_people
from people.services.members import add_person
from people.tests.factories import HEADER, csv_bytes, hr_rows, xlsx_bytes
from testdata import duty_shift, make_person, make_skill, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills(db):
    return [make_skill("refund", "退款处理"), make_skill("vip", "VIP专线")]


def _import(team, content, *, name="hr.xlsx", actor=None, teams=None):
    return import_people(
        teams=teams or [team],
        default_team=team,
        file_name=name,
        content=content,
        actor=actor,
        base_url="http://testserver/",
    )


def _people(team):
    return {
        p.employee_number: p
        for p in Profile.objects.filter(team=team)
        .exclude(employee_number="")
        .select_related("user")
        .prefetch_related("skills")
    }


def test_clean_file_imports_everyone_with_accounts_without_password(
    team, supervisor, skills, django_capture_on_commit_callbacks
):
    content = xlsx_bytes(hr_rows(35))
    with django_capture_on_commit_callbacks() as callbacks:
        record = _import(team, content, actor=supervisor.profile)
    assert len(callbacks) == 35  # each new person's activation e-mail, queued for the worker after commit
    people = _people(team)
    assert (record.created, record.updated, record.unchanged) == (35, 0, 0)
    assert len(people) == 35
    first = people["E0001"]
    assert (
        first.name,
        first.role,
        first.phone,
        first.user.email,
        first.user.username,
        first.wecom_id,
        first.dingtalk_id,
        first.feishu_id,
        first.hire_date,
        [s.code for s in first.skills.all()],
        first.qualification,
    ) == (
        "员工01",
        Role.AGENT,
        "13800000001",
        "e0001@example.com",
        "E0001",
        "wx0001",
        "dd0001",
        "fs0001",
        date(2024, 3, 1),
        ["refund"],
        Qualification.NEW_HIRE,  # no qualification column: a new hire (issue #27 point 1)
    )
    # Nobody chose a password for them: each sets it through the activation link (test_members).
    assert not first.user.has_usable_password()
    assert PersonEvent.objects.filter(kind=EventKind.IMPORTED).count() == 35


def test_one_bad_row_imports_nothing_and_the_preview_names_it(team, supervisor, skills):
    rows = hr_rows(35)
    rows[20][5] = "138-0000"  # a phone number HR typed wrong
    content = xlsx_bytes(rows)
    checked = preview_people(teams=[team], default_team=team, file_name="hr.xlsx", content=content)
    assert [(r.line, [str(e) for e in r.errors]) for r in checked.preview.bad] == [(22, ["“138-0000”不是电话号码。"])]
    assert (checked.new, checked.bad) == (34, 1)
    with pytest.raises(PeopleError, match="未导入任何内容"):
        _import(team, content, actor=supervisor.profile)
    assert Profile.objects.filter(team=team).exclude(employee_number="").count() == 0
    assert User.objects.filter(username__startswith="E0").count() == 0
    assert PeopleImport.objects.count() == 0


def test_same_file_again_changes_nothing_and_a_changed_row_updates_that_person(team, supervisor, skills):
    rows = hr_rows(5)
    content = xlsx_bytes(rows)
    _import(team, content, actor=supervisor.profile)
    before = {n: (p.name, p.phone, p.user.email, p.pk, p.user.pk) for n, p in _people(team).items()}
    events = PersonEvent.objects.count()

    again = _import(team, content, actor=supervisor.profile)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert {n: (p.name, p.phone, p.user.email, p.pk, p.user.pk) for n, p in _people(team).items()} == before
    assert PersonEvent.objects.count() == events

    rows[2][5] = "13912345678"
    rows[2][3] = "退款处理、VIP专线"
    changed = _import(team, xlsx_bytes(rows), actor=supervisor.profile)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 4)
    third = _people(team)["E0003"]
    assert (third.phone, sorted(s.code for s in third.skills.all())) == ("13912345678", ["refund", "vip"])
    logged = PersonEvent.objects.filter(profile=third, kind=EventKind.IMPORTED).latest("at")
    with translation.override("en"):
        assert logged.shown_note == "Skills, Phone"


def test_csv_in_gb18030_with_english_headers_and_columns_in_any_order(team, supervisor, skills):
    header = ["Name", "Phone", "Employee number", "Role", "Skills", "E-mail"]
    rows = [["张伟", "13800138000", "E1", "Team lead", "refund", "zw@example.com"]]
    record = _import(team, csv_bytes(rows, header=header, encoding="gb18030"), name="hr.csv", actor=supervisor.profile)
    assert record.created == 1
    person = _people(team)["E1"]
    assert (person.name, person.role, person.phone) == ("张伟", Role.LEAD, "13800138000")


def test_rows_naming_teams_the_importer_cannot_see_are_unknown(team, other_team, supervisor, skills):
    header = ["工号", "姓名", "团队"]
    content = xlsx_bytes([["E1", "张伟", "华南客服组"]], header=header)
    checked = preview_people(teams=[team], default_team=team, file_name="hr.xlsx", content=content)
    assert [str(e) for e in checked.preview.rows[0].errors] == ["未知团队“华南客服组”。"]
    # A manager (both teams) may import into the other team by naming it.
    _import(team, content, teams=[team, other_team])
    assert Profile.objects.get(employee_number="E1").team == other_team


def test_a_team_column_moves_a_person_unless_they_hold_shifts_from_today(team, other_team, supervisor, skills):
    _import(
        team, xlsx_bytes([["E1", "张伟", "华东客服组"], ["E2", "李娜", "华东客服组"]], header=["工号", "姓名", "团队"])
    )
    held = Profile.objects.get(employee_number="E2")
    publish(
        team, [(held, duty_shift(team, timezone.localdate() + timedelta(days=7)), "member")], by=supervisor, keep=True
    )
    moving = xlsx_bytes([["E1", "张伟", "华南客服组"], ["E2", "李娜", "华南客服组"]], header=["工号", "姓名", "团队"])
    checked = preview_people(teams=[team, other_team], default_team=team, file_name="hr.xlsx", content=moving)
    assert [(r.status, [str(e) for e in r.errors]) for r in checked.preview.rows] == [
        ("changed", []),
        ("bad", ["李娜 在当前团队的排班表中今天起还有班次；请先修订排班表，再调往其他团队。"]),
    ]


def test_a_leaving_date_in_the_file_marks_the_person_as_left(team, supervisor, skills):
    _import(team, xlsx_bytes([["E1", "张伟"]], header=["工号", "姓名"]))
    yesterday = timezone.localdate() - timedelta(days=1)
    _import(team, xlsx_bytes([["E1", "张伟", yesterday.isoformat()]], header=["工号", "姓名", "离职日期"]))
    person = Profile.objects.select_related("user").get(employee_number="E1")
    assert (person.left_on, person.user.is_active) == (yesterday, False)


def test_login_name_taken_by_another_account_is_a_bad_row(team, supervisor, skills):
    make_person(Role.AGENT, team, username="e7")
    checked = preview_people(
        teams=[team],
        default_team=team,
        file_name="hr.xlsx",
        content=xlsx_bytes([["E7", "张伟"]], header=["工号", "姓名"]),
    )
    assert [str(e) for e in checked.preview.rows[0].errors] == ["登录名 E7 已被其他账号使用。"]


def test_hostile_file_is_refused_whole(team, skills):
    with pytest.raises(UnreadableFile):
        preview_people(teams=[team], default_team=team, file_name="hr.xlsx", content=b"PK\x03\x04 not a zip")
    with pytest.raises(UnreadableFile):
        preview_people(teams=[team], default_team=team, file_name="hr.pdf", content=b"%PDF-1.4")


def test_export_has_the_import_columns_and_imports_back_unchanged_in_both_languages(team, supervisor, skills):
    rows = hr_rows(4)
    rows[1][2] = "值班组长"
    import_people(
        teams=[team],
        default_team=team,
        file_name="hr.xlsx",
        content=xlsx_bytes(rows),
        actor=supervisor.profile,
        all_qualified=True,
    )
    for language in ("zh-hans", "en"):
        with translation.override(language):
            content = exports.team_workbook(team)
        table = read_table("people.xlsx", content)
        columns, problems = rules.map_headers(table[0][1])
        assert problems == [] and set(columns) == set(rules.COLUMNS)
        checked = preview_people(teams=[team], default_team=team, file_name="people.xlsx", content=content)
        assert [r.status for r in checked.preview.rows] == ["unchanged"] * 4, language
    sheet = load_workbook(io.BytesIO(exports.team_workbook(team))).active
    assert [c.value for c in sheet[1]] == [
        "工号",
        "姓名",
        "团队",
        "角色",
        "技能",
        "入职日期",
        "上岗资格",
        "手机",
        "邮箱",
        "企业微信",
        "钉钉",
        "飞书",
        "离职日期",
    ]
    assert [c.value for c in sheet[3]][:7] == [
        "E0002",
        "员工02",
        "华东客服组",
        "值班组长",
        "退款处理",
        "2024-03-01",
        "已独立上岗",
    ]


def test_export_writes_a_formula_looking_name_as_text(team, supervisor, skills):
    add_person(team=team, actor=supervisor.profile, name='=HYPERLINK("http://x")', employee_number="E1")
    cell = load_workbook(io.BytesIO(exports.team_workbook(team))).active["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)


def test_header_constant_matches_the_rules():
    assert rules.map_headers(HEADER)[1] == []


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_add_each_person_once(team, supervisor, manager, skills):
    import threading

    from django.db import connection

    content = xlsx_bytes(hr_rows(12))
    barrier = threading.Barrier(2)
    outcomes = []

    def run(actor):
        try:
            barrier.wait()
            record = _import(team, content, actor=actor)
            outcomes.append((record.created, record.unchanged))
        except PeopleError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(who.profile,)) for who in (supervisor, manager)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One adds the twelve; the other either finds them there (after the first committed) or is refused whole.
    assert (12, 0) in outcomes
    assert outcomes[0] != outcomes[1]
    assert Profile.objects.filter(employee_number__startswith="E0").count() == 12
    assert User.objects.filter(username__startswith="E0").count() == 12


# --- issue #27 point 1: a file without a qualification column makes new hires, unless the importer says ---------


def test_file_without_qualification_column_imports_new_hires_and_the_preview_says_so(team, supervisor, skills):
    content = xlsx_bytes(hr_rows(3))
    with translation.override("en"):
        checked = preview_people(teams=[team], default_team=team, file_name="hr.xlsx", content=content)
        assert [str(r.qualification_label) for r in checked.preview.rows] == [
            "new hire, unless you mark them below"
        ] * 3
    assert len(checked.undecided) == 3
    _import(team, content, actor=supervisor.profile)
    assert {n: p.qualification for n, p in _people(team).items()} == {
        "E0001": Qualification.NEW_HIRE,
        "E0002": Qualification.NEW_HIRE,
        "E0003": Qualification.NEW_HIRE,
    }


def test_importer_marks_some_new_people_as_working_alone_and_the_choice_is_kept(team, supervisor, skills):
    content = xlsx_bytes(hr_rows(3))
    record = import_people(
        teams=[team],
        default_team=team,
        file_name="hr.xlsx",
        content=content,
        actor=supervisor.profile,
        marked_qualified={"E0002"},
    )
    people = _people(team)
    assert {n: p.qualification for n, p in people.items()} == {
        "E0001": Qualification.NEW_HIRE,
        "E0002": Qualification.QUALIFIED,
        "E0003": Qualification.NEW_HIRE,
    }
    assert record.marked_qualified == ["E0002"]
    event = PersonEvent.objects.get(profile=people["E0002"], kind=EventKind.IMPORTED)
    assert (event.actor, event.note_text["key"]) == (supervisor.profile, "people.import.marked_qualified")


def test_all_marked_makes_every_undecided_new_person_qualified_but_not_one_the_file_calls_new(team, skills):
    rows = [[*row, ""] for row in hr_rows(2)] + [[*hr_rows(1, start=3)[0], "新人"]]
    content = xlsx_bytes(rows, header=[*HEADER, "上岗资格"])
    record = import_people(
        teams=[team], default_team=team, file_name="hr.xlsx", content=content, actor=None, all_qualified=True
    )
    assert record.marked_qualified == ["E0001", "E0002"]
    assert {n: p.qualification for n, p in _people(team).items()} == {
        "E0001": Qualification.QUALIFIED,
        "E0002": Qualification.QUALIFIED,
        "E0003": Qualification.NEW_HIRE,
    }


def test_marking_someone_the_file_gives_a_qualification_is_refused_and_imports_nothing(team, skills):
    content = xlsx_bytes([[*hr_rows(1)[0], "新人"]], header=[*HEADER, "上岗资格"])
    with pytest.raises(PeopleError):
        import_people(
            teams=[team],
            default_team=team,
            file_name="hr.xlsx",
            content=content,
            actor=None,
            marked_qualified={"E0001"},
        )
    assert _people(team) == {}


def test_import_change_log_names_fields_in_the_readers_language(team, supervisor, skills):
    _import(team, xlsx_bytes(hr_rows(1)), actor=supervisor.profile)
    changed = hr_rows(1)
    changed[0][5] = "13900000009"
    _import(team, xlsx_bytes(changed), actor=supervisor.profile)
    event = PersonEvent.objects.filter(kind=EventKind.IMPORTED).order_by("-pk").first()
    with translation.override("zh-hans"):
        assert event.shown_note == "手机"
    with translation.override("en"):
        assert event.shown_note == "Phone"

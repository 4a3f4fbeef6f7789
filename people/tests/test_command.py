"""python manage.py import_people FILE [--team SLUG] [--dry-run]: the page's preview and import from a shell."""

import pytest
from django.core.management import CommandError, call_command

from dutydesk.models import Profile
from people.models import PeopleImport
from people.tests.factories import csv_bytes, hr_rows, xlsx_bytes
from testdata import make_skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def refund(db):
    return make_skill("refund", "退款处理")


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_people", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_preview_and_changes_nothing(tmp_path, team, refund):
    path = tmp_path / "hr.xlsx"
    path.write_bytes(xlsx_bytes(hr_rows(3)))
    out = _run(str(path), "--team", "team-east", "--dry-run")
    assert out.splitlines() == [
        "第 2 行：新增 E0001 员工01",
        "第 3 行：新增 E0002 员工02",
        "第 4 行：新增 E0003 员工03",
        "新增 3 人，有变化 0 人，无变化 0 人，错误 0 行。",
    ]
    assert Profile.objects.filter(employee_number__startswith="E0").count() == 0


def test_any_bad_row_exits_non_zero_and_imports_nothing(tmp_path, team, refund):
    rows = hr_rows(3)
    rows[1][6] = "e0002-at-example.com"
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError, match="nothing imported"):
        _run(str(path), "--team", "team-east")
    assert Profile.objects.filter(employee_number__startswith="E0").count() == 0
    assert PeopleImport.objects.count() == 0


def test_import_then_again_changes_nothing_and_prints_activation_links(tmp_path, team, refund):
    path = tmp_path / "hr.xlsx"
    path.write_bytes(xlsx_bytes(hr_rows(2)))
    out = _run(str(path), "--team", "team-east", "--base-url", "https://duty.example.com")
    assert "imported: 2 added, 0 updated, 0 unchanged" in out
    assert "E0001 员工01: https://duty.example.com/people/activate/" in out
    out = _run(str(path), "--team", "team-east")
    assert "imported: 0 added, 0 updated, 2 unchanged" in out


def test_without_a_team_rows_need_a_team_column(tmp_path, team, refund):
    path = tmp_path / "hr.xlsx"
    path.write_bytes(xlsx_bytes([["E1", "张伟"]], header=["工号", "姓名"]))
    with pytest.raises(CommandError):
        _run(str(path))
    path.write_bytes(xlsx_bytes([["E1", "张伟", "team-east"]], header=["工号", "姓名", "团队"]))
    _run(str(path))
    assert Profile.objects.get(employee_number="E1").team == team


def test_unknown_team_or_file_is_an_error(tmp_path, team):
    (tmp_path / "x.xlsx").write_bytes(xlsx_bytes([["E1", "张伟"]], header=["工号", "姓名"]))
    with pytest.raises(CommandError, match="no team"):
        _run(str(tmp_path / "x.xlsx"), "--team", "nope")
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "missing.xlsx"))
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="不是 Excel 工作簿"):
        _run(str(tmp_path / "bad.xlsx"), "--team", "team-east")

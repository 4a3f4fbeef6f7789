"""Moving a large service department in: the biggest HR file an import takes (2,000 people, Excel, Chinese
headers, every column filled), checked, imported, then imported again unchanged; and the members page and the skills
matrix for those 2,000 (server time and SQL queries). Results are checked against the generated rows with plain
SQL, not with the importer's own code."""

import io
import random
import time as clock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from dutydesk.models import Role, Skill
from people.services.imports import import_people, preview_people
from testdata import make_person, make_team

PEOPLE = 2000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
SKILLS = [("refund", "退款处理"), ("cross-border", "跨境退货"), ("vip", "VIP专线"), ("order-change", "订单变更")]


def _rows(rng: random.Random) -> list[list[str]]:
    rows = []
    for n in range(1, PEOPLE + 1):
        skills = "、".join(name for _code, name in SKILLS if rng.random() < 0.5) or "退款处理"
        rows.append(
            [
                f"HR{n:05d}",
                rng.choice(SURNAMES) + f"员工{n}",
                "值班组长" if n % 25 == 0 else "客服",
                skills,
                f"20{rng.randrange(15, 26)}-{rng.randrange(1, 13):02d}-01",
                f"13{rng.randrange(10**9):09d}",
                f"hr{n:05d}@example.com",
                f"wx_hr{n:05d}",
                f"dd{n:08d}",
                f"ou_{n:08x}",
            ]
        )
    return rows


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "角色", "技能", "入职日期", "手机", "邮箱", "企业微信", "钉钉", "飞书"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ms(action):
    start = clock.perf_counter()
    result = action()
    return (clock.perf_counter() - start) * 1000, result


def _stored() -> dict[str, tuple]:
    """What the database holds, read with plain SQL: employee number -> (name, phone, e-mail, skills)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT p.employee_number, p.name, p.phone, u.email,
                   coalesce(string_agg(s.name, '、' ORDER BY s.name), '')
            FROM dutydesk_profile p JOIN auth_user u ON u.id = p.user_id
            LEFT JOIN dutydesk_profile_skills ps ON ps.profile_id = p.id
            LEFT JOIN dutydesk_skill s ON s.id = ps.skill_id
            WHERE p.employee_number LIKE 'HR%%' GROUP BY 1, 2, 3, 4""")
        return {number: (name, phone, email, skills) for number, name, phone, email, skills in cursor.fetchall()}


def main() -> None:
    rng = random.Random(15)
    for code, name in SKILLS:
        Skill.objects.create(code=code, name=name)
    team = make_team("基准客服组", "bench-people")
    supervisor = make_person(Role.SUPERVISOR, team, username="bench-supervisor", oversees=[team])
    rows = _rows(rng)
    content = _xlsx(rows)
    print(f"BENCH people.import.file.{PEOPLE}.kb {len(content) / 1024:.0f} kB")

    took, checked = _ms(lambda: preview_people(teams=[team], default_team=team, file_name="hr.xlsx", content=content))
    assert checked.new == PEOPLE and checked.bad == 0
    print(f"BENCH people.import.preview.{PEOPLE}.ms {took:.0f} ms")
    took, record = _ms(
        lambda: import_people(
            teams=[team], default_team=team, file_name="hr.xlsx", content=content, actor=supervisor.profile
        )
    )
    print(f"BENCH people.import.write.{PEOPLE}.ms {took:.0f} ms")
    expected = {r[0]: (r[1], r[5], r[6], "、".join(sorted(r[3].split("、")))) for r in rows}
    stored = _stored()
    # Skills compare as sorted display names; PostgreSQL's collation may order them differently from Python's.
    stored = {k: (v[0], v[1], v[2], "、".join(sorted(v[3].split("、")))) for k, v in stored.items()}
    assert stored == expected, "the database does not hold the file"
    took, again = _ms(
        lambda: import_people(
            teams=[team], default_team=team, file_name="hr.xlsx", content=content, actor=supervisor.profile
        )
    )
    assert (record.created, again.created, again.updated, again.unchanged) == (PEOPLE, 0, 0, PEOPLE)
    print(f"BENCH people.import.again_unchanged.{PEOPLE}.ms {took:.0f} ms")

    client = Client()
    client.force_login(supervisor)
    for name, url in (("members", f"/people/{team.slug}/members/"), ("matrix", f"/people/{team.slug}/skills/")):
        client.get(url)  # warm the templates
        with CaptureQueriesContext(connection) as queries:
            took, response = _ms(lambda url=url: client.get(url))
        assert response.status_code == 200
        print(f"BENCH people.page.{name}.{PEOPLE}.ms {took:.0f} ms")
        print(f"BENCH people.page.{name}.{PEOPLE}.queries {len(queries.captured_queries)} queries")

"""People test data: HR files as HR exports them, shadow shifts with sign-ins, sessions and support lines.
Shifts, dates and rosters are testdata's (testdata.publish); people, sessions and contacts through the real services."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from django.utils import timezone
from openpyxl import Workbook

from dutydesk.models import Profile, Qualification
from logbook.models import Logbook
from people.services import support, training
from roster.models import AssignmentRole
from testdata import at, duty_shift, publish

HEADER = ["工号", "姓名", "角色", "技能", "入职日期", "手机", "邮箱", "企业微信", "钉钉", "飞书"]


def hr_rows(count: int, *, start: int = 1, skills: str = "退款处理") -> list[list[str]]:
    """`count` plausible rows: E0001 张三01 客服 ... with distinct phones and e-mails."""
    return [
        [
            f"E{n:04d}",
            f"员工{n:02d}",
            "客服",
            skills,
            "2024-03-01",
            f"1380000{n:04d}",
            f"e{n:04d}@example.com",
            f"wx{n:04d}",
            f"dd{n:04d}",
            f"fs{n:04d}",
        ]
        for n in range(start, start + count)
    ]


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], header: list[str] = HEADER, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def shadow_history(team, new_hire: Profile, mentor: Profile, days: list[date], *, by, signed_in: bool = True):
    """The new hire shadowed `mentor` on the day shift of each of `days` (published), signed in if asked."""
    shifts = [duty_shift(team, day) for day in days]
    publish(
        team,
        [(mentor, s, AssignmentRole.MEMBER) for s in shifts] + [(new_hire, s, AssignmentRole.SHADOW) for s in shifts],
        by=by,
        keep=True,
    )
    if signed_in:
        for shift in shifts:
            Logbook.objects.create(
                duty_shift=shift,
                profile=new_hire,
                team=team,
                signed_in_at=shift.starts_at - timedelta(minutes=15),
                signed_out_at=shift.ends_at,
            )
    return shifts


def new_hire(profile: Profile) -> Profile:
    profile.qualification, profile.qualified_on = Qualification.NEW_HIRE, None
    profile.save(update_fields=["qualification", "qualified_on"])
    return profile


def make_session(
    team,
    *,
    actor: Profile,
    invitees,
    starts_at: datetime | None = None,
    topic: str = "退款新规解读",
    now: datetime | None = None,
    kind: str = "lecture",
):
    starts_at = starts_at or at(timezone.localdate() + timedelta(days=3), 14)
    values = {
        "topic": topic,
        "kind": kind,
        "provider": "",
        "trainer": "王芳",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "place": "3楼培训室",
        "link": "",
        "description": "",
    }
    return training.plan_session(
        team=team,
        actor=actor,
        values=values,
        invitees=invitees,
        now=now or min(timezone.now(), starts_at - timedelta(hours=1)),
    )


def make_contact(
    team, *, actor: Profile, name: str = "技术支持热线", kind: str = "hotline", phone: str = "400-820-1234"
):
    return support.save_contact(
        team=team,
        actor=actor,
        values={
            "kind": kind,
            "name": name,
            "contact": "值班工程师",
            "phone": phone,
            "wecom_id": "",
            "dingtalk_id": "",
            "feishu_id": "",
            "hours": "每天 09:00-24:00",
            "note": "",
            "order": 0,
        },
    )

"""The team as the HR file an import reads (same columns, same words), written through dutydesk.spreadsheets so that
no name runs as a formula in Excel."""

import re

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dutydesk.models import Profile, Qualification, Role
from dutydesk.spreadsheets import put_row, workbook_bytes
from people import rules

# Column labels in the user's language; each is one of the headers rules.HEADERS accepts (tests check both). A
# context of their own, so that another catalogue's "Name" never changes a column's header.
LABELS = {
    "employee_number": pgettext_lazy("HR file column", "Employee number"),
    "name": pgettext_lazy("HR file column", "Name"),
    "team": pgettext_lazy("HR file column", "Team"),
    "role": pgettext_lazy("HR file column", "Role"),
    "skills": pgettext_lazy("HR file column", "Skills"),
    "hire_date": pgettext_lazy("HR file column", "Hire date"),
    "qualification": pgettext_lazy("HR file column", "Qualification"),
    "phone": pgettext_lazy("HR file column", "Phone"),
    "email": pgettext_lazy("HR file column", "E-mail"),
    "wecom_id": pgettext_lazy("HR file column", "WeCom"),
    "dingtalk_id": pgettext_lazy("HR file column", "DingTalk"),
    "feishu_id": pgettext_lazy("HR file column", "Feishu"),
    "left_on": pgettext_lazy("HR file column", "Left on"),
}


def column_help() -> list[tuple[str, str, bool]]:
    """(label, other headers accepted, required) for the import page, the headers in the reader's language (the
    import takes both)."""
    chinese = get_language().startswith("zh")
    help_rows = []
    for name in rules.COLUMNS:
        label = str(LABELS[name])
        # Chinese readers see the Chinese headers only (企业微信账号 rather than 企业微信id); the import takes all.
        others = [
            h
            for h in rules.HEADERS[name]
            if h.lower() != label.lower()
            and (_is_chinese(h) and not re.search("[A-Za-z]", h) if chinese else not _is_chinese(h))
        ]
        help_rows.append((label, "、".join(others[:3]), name in rules.REQUIRED))
    return help_rows


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def team_rows(team) -> list[list]:
    people = (
        Profile.objects.filter(team=team, role__in=[Role.AGENT, Role.LEAD])
        .select_related("user")
        .prefetch_related("skills")
        .order_by("employee_number", "name")
    )
    rows = []
    for p in people:
        rows.append(
            [
                p.employee_number,
                p.name,
                team.name,
                str(Role(p.role).label),
                "、".join(sorted(s.name for s in p.skills.all())),
                p.hire_date.isoformat() if p.hire_date else "",
                str(Qualification(p.qualification).label),
                p.phone,
                p.user.email,
                p.wecom_id,
                p.dingtalk_id,
                p.feishu_id,
                p.left_on.isoformat() if p.left_on else "",
            ]
        )
    return rows


def team_workbook(team, *, exporter: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Team members")[:31]
    put_row(sheet, 1, [str(LABELS[name]) for name in rules.COLUMNS])
    for number, row in enumerate(team_rows(team), start=2):
        put_row(sheet, number, row)
    sheet.freeze_panes = "A2"
    source = _("Team members of %(team)s") % {"team": team.name}
    return workbook_bytes(book, source=str(source), exporter=exporter)

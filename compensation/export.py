"""The payroll export for HR: one row per person of a team's month, fixed columns, as Excel (through
dutydesk.spreadsheets, formula-injection safe) or JSON (the duty_statement command)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from compensation.models import Treatment
from dutydesk.spreadsheets import put_row, workbook_bytes

# (key, header): the order HR's payroll sheet expects; the keys are the JSON field names.
COLUMNS = [
    ("employee_number", _("Employee number")),
    ("name", _("Name")),
    ("team", _("Team")),
    ("month", _("Month")),
    ("shifts", _("Duty shifts")),
    ("planned_hours", _("Planned hours")),
    ("actual_hours", _("Actual hours")),
    ("rest_day_hours", _("Rest-day hours")),
    ("holiday_hours", _("Statutory-holiday hours")),
    ("rest_day_treatment", _("Rest-day duty earns")),
    ("rest_day_multiplier", _("Rest-day pay multiplier")),
    ("holiday_multiplier", _("Statutory-holiday pay multiplier")),
    ("overtime_pay_units", _("Overtime pay units (hours × multiplier)")),
    ("comp_earned", _("Comp time earned")),
    ("comp_granted", _("Comp time granted")),
    ("comp_used", _("Comp time used")),
    ("comp_expired", _("Comp time expired")),
    ("comp_balance", _("Comp-time balance")),
]


def employee_number(profile) -> str:
    """HR's employee number (工号). The people app (#15) adds `Profile.employee_number`; until a person has one,
    the column carries their username, which is unique too."""
    return getattr(profile, "employee_number", "") or profile.user.username


def payroll_rows(team, month, lines, *, labels: bool = True) -> list[dict]:
    """One dict per person; `labels`: the rest-day treatment as words (Excel) rather than its code (JSON)."""
    rows = []
    for line in lines:
        pays_rest_days = line.rest_day_treatment == Treatment.OVERTIME_PAY
        rows.append(
            {
                "employee_number": employee_number(line.profile),
                "name": line.profile.name,
                "team": team.name,
                "month": month.strftime("%Y-%m"),
                "shifts": line.shifts,
                "planned_hours": line.planned_hours,
                "actual_hours": line.actual_hours,
                "rest_day_hours": line.rest_day_hours,
                "holiday_hours": line.holiday_hours,
                "rest_day_treatment": str(Treatment(line.rest_day_treatment).label)
                if labels
                else line.rest_day_treatment,
                "rest_day_multiplier": line.rest_day_multiplier if pays_rest_days else None,
                "holiday_multiplier": line.holiday_multiplier,
                "overtime_pay_units": line.overtime_pay_units,
                "comp_earned": line.comp_earned,
                "comp_granted": line.comp_granted,
                "comp_used": line.comp_used,
                "comp_expired": line.comp_expired,
                "comp_balance": line.comp_balance,
            }
        )
    return rows


def payroll_workbook(team, month, statement, lines, *, exporter: str = "") -> bytes:
    """The month's rows under a title row saying whose month, its status and version (or that it is not
    computed: then no rows)."""
    book = Workbook()
    sheet = book.active
    sheet.title = month.strftime("%Y-%m")
    put_row(
        sheet,
        1,
        [
            f"{team.name} {month:%Y-%m}",
            statement.get_status_display() if statement else str(_("Not computed")),
            f"v{statement.version}" if statement else "",
        ],
    )
    put_row(sheet, 2, [str(header) for _key, header in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(payroll_rows(team, month, lines), 3):
        put_row(sheet, number, [_cell(row[key]) for key, _header in COLUMNS])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 12
    source = _("Duty hours %(team)s %(month)s %(version)s") % {
        "team": team.name,
        "month": f"{month:%Y-%m}",
        "version": f"v{statement.version}" if statement else "",
    }
    return workbook_bytes(book, source=str(source), exporter=exporter)


def payroll_json(statement, lines) -> dict:
    return {
        "team": statement.team.slug,
        "month": statement.month.strftime("%Y-%m"),
        "version": statement.version,
        "status": statement.status,
        "finalised_at": statement.finalised_at.isoformat() if statement.finalised_at else None,
        "rows": [
            {key: str(value) if isinstance(value, Decimal) else value for key, value in row.items()}
            for row in payroll_rows(statement.team, statement.month, lines, labels=False)
        ],
    }


def _cell(value):
    return float(value) if isinstance(value, Decimal) else value

"""The month's table as an Excel workbook (openpyxl), for the manager's decisions on rewards and penalties."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from dutydesk.spreadsheets import put_row, workbook_bytes


def month_workbook(team, month, appraisal, scores, *, exporter: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = month.strftime("%Y-%m")
    status = appraisal.get_status_display() if appraisal else _("Not computed")
    version = _("version %(number)s") % {"number": appraisal.version} if appraisal else ""
    put_row(sheet, 1, [f"{team.name} {month:%Y-%m}", status, version])
    headers = [
        _("Rank"),
        _("Agent"),
        _("Username"),
        _("Satisfaction %"),
        _("On-time resolution %"),
        _("Record accuracy"),
        _("Attitude"),
        _("Daily evaluations"),
        _("Discipline"),
        _("Composite"),
        _("Band"),
        _("Excellent agent of the month"),
        _("Extra reward"),
        _("Dismissal review"),
        _("Bonus deduction %"),
        _("Status"),
    ]
    put_row(sheet, 2, headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row, score in enumerate(scores, 3):
        put_row(
            sheet,
            row,
            [
                score.rank,
                score.profile.name,
                score.profile.user.username,
                *[
                    _number(getattr(score, name))
                    for name in (
                        "satisfaction",
                        "on_time",
                        "accuracy",
                        "attitude",
                        "evaluation",
                        "discipline",
                        "composite",
                    )
                ],
                score.get_band_display() if score.band else "",
                _("yes") if score.is_excellent_agent else "",
                _("yes") if score.reward_flag else "",
                _("yes") if score.review_flag else "",
                score.deduction or "",
                score.get_status_display(),
            ],
        )
    sheet.column_dimensions["B"].width = 14
    source = _("Appraisal %(team)s %(month)s %(version)s") % {
        "team": team.name,
        "month": f"{month:%Y-%m}",
        "version": version,
    }
    return workbook_bytes(book, source=source, exporter=exporter)


def _number(value):
    return float(value) if value is not None else None

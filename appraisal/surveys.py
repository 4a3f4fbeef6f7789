"""Reading a satisfaction survey file (R-APP-2): CSV or Excel in, checked rows and every bad row's reason out.

Pure functions on bytes and plain data; the service looks up people and duty dates and writes the results.
A file has a header row. Recognised columns (English or Chinese, any order): agent (username or name), date,
score (a number on the scale chosen on the form, or satisfied/unsatisfied) and, optionally, a survey reference.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from appraisal.rules import is_satisfied, survey_key
from dutydesk import spreadsheets
from dutydesk.spreadsheets import UnreadableFile

MAX_ROWS = 5000
MAX_COLUMNS = 20
HEADERS = {
    "agent": {"agent", "username", "name", "客服", "工号", "姓名", "用户名", "值班人员"},
    "date": {"date", "日期", "服务日期"},
    "score": {"score", "result", "satisfaction", "评分", "分数", "满意度", "结果"},
    "reference": {"reference", "ref", "survey", "编号", "问卷编号", "评价编号"},
}
SATISFIED_WORDS = {"satisfied": 1, "满意": 1, "unsatisfied": 0, "dissatisfied": 0, "不满意": 0}


@dataclass(frozen=True)
class SurveyRow:
    line: int
    profile_id: int
    date: date
    scale: str
    score: int
    satisfied: bool
    key: str
    agent: str  # as written in the file, for the preview


@dataclass(frozen=True)
class RowError:
    line: int
    text: str
    reasons: list[str]

    @property
    def reason(self) -> str:
        return " ".join(str(r) for r in self.reasons)


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_table(file_name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty row, header first; hostile files refused by the shared reader."""
    return spreadsheets.read_table(file_name, content, max_rows=MAX_ROWS, max_cols=MAX_COLUMNS)


def columns_of(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        for column, names in HEADERS.items():
            if title.strip().lower() in names and column not in found:
                found[column] = index
    missing = [column for column in ("agent", "date", "score") if column not in found]
    if missing:
        raise UnreadableFile(
            _("The first row must name the columns agent, date and score (missing: %(columns)s).")
            % {"columns": ", ".join(missing)}
        )
    return found


def parse_date(text: str) -> date | None:
    for form in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def check_rows(
    table: list[tuple[int, list[str]]],
    *,
    scale: str,
    people: dict[str, list[int]],
    on_duty: set[tuple[int, date]],
    today: date,
) -> tuple[list[SurveyRow], list[RowError]]:
    """Every data row either becomes a SurveyRow or an error with its reason (R-APP-2 preview).

    `people` maps a lower-case username or name to the profile ids it may mean (a name two people share is
    ambiguous); `on_duty` holds (profile id, date) of every duty shift in the period.
    """
    if not table:
        raise UnreadableFile(_("The file is empty."))
    header_line, header = table[0]
    columns = columns_of(header)
    rows, errors = [], []
    seen: dict[tuple[int, date, str], int] = {}
    for line, cells in table[1:]:
        cell = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        # Every problem of the row at once (issue #27 point 10): a fix should not reveal the next one.
        reasons = []
        agent = cell["agent"]
        matches = people.get(agent.lower(), []) if agent else []
        if not agent:
            reasons.append(_("No agent given."))
        elif not matches:
            reasons.append(_("No agent of this team is called “%(agent)s”.") % {"agent": agent})
        elif len(matches) > 1:
            reasons.append(_("Several agents are called “%(agent)s”: use the username.") % {"agent": agent})
        day = parse_date(cell["date"])
        if day is None:
            reasons.append(_("“%(date)s” is not a date (write 2026-11-07).") % {"date": cell["date"]})
        elif day > today:
            reasons.append(_("The date %(date)s is in the future.") % {"date": day.isoformat()})
            day = None
        profile_id = matches[0] if len(matches) == 1 else None
        if profile_id is not None and day is not None and (profile_id, day) not in on_duty:
            reasons.append(_("%(agent)s was not on duty on %(date)s.") % {"agent": agent, "date": day.isoformat()})
        row_scale, score = _score(cell["score"], scale)
        if score is None:
            reasons.append(
                _("“%(score)s” is not a score of the chosen scale (%(scale)s) nor satisfied/unsatisfied.")
                % {"score": cell["score"], "scale": "1-5" if scale == "five" else "0-100"}
            )
        reference = cell.get("reference", "")
        if not reasons:
            occurrence_of = (profile_id, day, reference or f"{row_scale}:{score}")
            occurrence = seen.get(occurrence_of, 0)
            if reference and occurrence:
                reasons.append(_("The survey reference “%(reference)s” appears twice.") % {"reference": reference})
        if reasons:
            errors.append(RowError(line, ", ".join(cells), reasons))
            continue
        seen[occurrence_of] = occurrence + 1
        rows.append(
            SurveyRow(
                line,
                profile_id,
                day,
                row_scale,
                score,
                is_satisfied(row_scale, score),
                survey_key(reference, row_scale, score, occurrence),
                agent,
            )
        )
    if not rows and not errors:
        raise UnreadableFile(_("The file has a header but no rows."))
    return rows, errors


def _score(text: str, scale: str) -> tuple[str, int | None]:
    word = text.strip().lower()
    if word in SATISFIED_WORDS:
        return "binary", SATISFIED_WORDS[word]
    try:
        number = float(word)
    except ValueError:
        return scale, None
    if not number.is_integer():
        return scale, None
    low, high = (1, 5) if scale == "five" else (0, 100)
    return (scale, int(number)) if low <= number <= high else (scale, None)

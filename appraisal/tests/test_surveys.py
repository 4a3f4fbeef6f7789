"""Reading survey files (R-APP-2): every bad row with its reason. No database."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from appraisal.surveys import RowError, UnreadableFile, check_rows, read_table

# Messages are asserted in English, the source text; the translation test checks the Chinese catalogue.
pytestmark = pytest.mark.usefixtures("english")

PEOPLE = {"agent01": [1], "张伟": [1], "agent02": [2], "王芳": [2, 3], "agent03": [3]}
ON_DUTY = {(1, date(2026, 11, 7)), (2, date(2026, 11, 7)), (3, date(2026, 11, 8))}
TODAY = date(2026, 11, 23)


def check(text: str, scale="five"):
    return check_rows(read_table("s.csv", text.encode()), scale=scale, people=PEOPLE, on_duty=ON_DUTY, today=TODAY)


def test_clean_csv_rows_by_username_name_and_word():
    rows, errors = check("客服,日期,评分\nagent01,2026-11-07,5\n张伟,2026/11/07,3\nagent02,2026-11-07,满意\n")
    assert errors == []
    assert [(r.line, r.profile_id, r.date, r.scale, r.score, r.satisfied, r.key) for r in rows] == [
        (2, 1, date(2026, 11, 7), "five", 5, True, "row:five:5:0"),
        (3, 1, date(2026, 11, 7), "five", 3, False, "row:five:3:0"),
        (4, 2, date(2026, 11, 7), "binary", 1, True, "row:binary:1:0"),
    ]


def test_identical_rows_are_two_answers_with_distinct_keys():
    rows, errors = check("agent,date,score\nagent01,2026-11-07,5\nagent01,2026-11-07,5\n")
    assert (errors, [r.key for r in rows]) == ([], ["row:five:5:0", "row:five:5:1"])


def test_every_bad_row_listed_with_its_reason():
    rows, errors = check(
        "agent,date,score,reference\n"
        "nobody,2026-11-07,5,\n"
        "王芳,2026-11-07,5,\n"
        "agent01,07/11/2026,5,\n"
        "agent01,2026-12-05,5,\n"
        "agent01,2026-11-08,5,\n"
        "agent01,2026-11-07,9,\n"
        ",2026-11-07,5,\n"
        "agent02,2026-11-07,4,Q1\n"
        "agent02,2026-11-07,5,Q1\n"
    )
    assert [(r.line, r.profile_id) for r in rows] == [(9, 2)]
    assert errors == [
        RowError(2, "nobody, 2026-11-07, 5, ", ["No agent of this team is called “nobody”."]),
        RowError(3, "王芳, 2026-11-07, 5, ", ["Several agents are called “王芳”: use the username."]),
        RowError(4, "agent01, 07/11/2026, 5, ", ["“07/11/2026” is not a date (write 2026-11-07)."]),
        RowError(5, "agent01, 2026-12-05, 5, ", ["The date 2026-12-05 is in the future."]),
        RowError(6, "agent01, 2026-11-08, 5, ", ["agent01 was not on duty on 2026-11-08."]),
        RowError(
            7, "agent01, 2026-11-07, 9, ", ["“9” is not a score of the chosen scale (1-5) nor satisfied/unsatisfied."]
        ),
        RowError(8, ", 2026-11-07, 5, ", ["No agent given."]),
        RowError(10, "agent02, 2026-11-07, 5, Q1", ["The survey reference “Q1” appears twice."]),
    ]


def test_percent_scale_and_bounds():
    rows, errors = check("agent,date,score\nagent01,2026-11-07,80\nagent01,2026-11-07,101\n", scale="percent")
    assert [(r.score, r.satisfied) for r in rows] == [(80, True)]
    assert [e.line for e in errors] == [3]


def test_missing_columns_rejects_the_whole_file():
    with pytest.raises(UnreadableFile) as caught:
        check("name,when\nagent01,2026-11-07\n")
    assert str(caught.value) == "The first row must name the columns agent, date and score (missing: date, score)."


def test_other_file_types_rejected():
    with pytest.raises(UnreadableFile):
        read_table("s.pdf", b"%PDF")
    with pytest.raises(UnreadableFile):
        read_table("s.xlsx", b"not a workbook")


def test_excel_file_read_with_dates_and_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(["agent", "date", "score"])
    sheet.append(["agent01", date(2026, 11, 7), 4])
    output = io.BytesIO()
    book.save(output)
    table = read_table("s.xlsx", output.getvalue())
    assert table == [(1, ["agent", "date", "score"]), (2, ["agent01", "2026-11-07", "4"])]


def test_gb18030_csv_from_chinese_excel():
    table = read_table("s.csv", "客服,日期,评分\n张伟,2026-11-07,5\n".encode("gb18030"))
    assert table[1] == (2, ["张伟", "2026-11-07", "5"])


def test_a_row_with_several_problems_lists_every_one():
    # Issue #27 point 10: only the first problem was listed; fixing it revealed the next.
    rows, errors = check("agent,date,score\nnobody,07/11/2026,9\n")
    assert rows == []
    assert errors == [
        RowError(
            2,
            "nobody, 07/11/2026, 9",
            [
                "No agent of this team is called “nobody”.",
                "“07/11/2026” is not a date (write 2026-11-07).",
                "“9” is not a score of the chosen scale (1-5) nor satisfied/unsatisfied.",
            ],
        )
    ]

"""The supervisor's month grid driven from the keyboard alone, like a spreadsheet, in Chromium (Chinese UI).

The cells are text; the grid's one editor comes to the cell the keyboard is on (issue 14), and the moves are the
ones the grid always had: Ctrl + arrows between cells, Home / End along the row, plain arrows change the shift.
"""

import pytest
from playwright.sync_api import expect

from roster import queries
from roster.tests.grid_page import cell, editor, total
from testdata import MONTH, WEEKENDS, laid_out_month, make_agents

pytestmark = pytest.mark.browser
M = f"{MONTH:%Y-%m}"


def test_grid_keyboard_moves_between_cells_and_edits_one(page, login, team, agent, supervisor):
    make_agents(team, 2)  # rows by name: 客服001, 客服002, 张伟
    roster = laid_out_month(team)
    login(supervisor)
    page.goto(f"/roster/{team.slug}/{M}/draft/")
    expect(page.get_by_test_id("grid-keys-hint")).to_contain_text("Ctrl + 方向键")

    def on(name, day):
        """The editor stands in this cell and has the keyboard."""
        expect(cell(page, name, day).locator("select")).to_be_focused()

    # The grid's tab stop is its first cell; reaching it brings the editor there.
    expect(cell(page, "客服001", WEEKENDS[0])).to_have_attribute("tabindex", "0")
    cell(page, "客服001", WEEKENDS[0]).focus()
    on("客服001", WEEKENDS[0])
    expect(editor(page)).to_have_attribute("aria-label", f"客服001 {WEEKENDS[0].isoformat()}")
    page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("Control+ArrowRight")
    on("客服001", WEEKENDS[2])
    page.keyboard.press("Control+ArrowDown")
    page.keyboard.press("Control+ArrowDown")
    on("张伟", WEEKENDS[2])
    page.keyboard.press("Control+ArrowDown")  # the last row: stays put
    on("张伟", WEEKENDS[2])
    page.keyboard.press("End")
    on("张伟", WEEKENDS[-1])
    page.keyboard.press("Home")
    on("张伟", WEEKENDS[0])
    page.keyboard.press("Control+ArrowLeft")  # the first date: stays put
    page.keyboard.press("Control+ArrowUp")
    on("客服002", WEEKENDS[0])
    # Moving never changed a cell: nothing was saved, no draft was made, one editor in the whole grid.
    assert queries.draft_of(roster) is None
    expect(page.locator(".roster-grid select")).to_have_count(1)

    # A plain down arrow picks the next choice (白班) and saves it; the keyboard stays on the cell after the swap.
    page.keyboard.press("ArrowDown")
    expect(total(page, "客服002", "duty")).to_have_text("1")
    on("客服002", WEEKENDS[0])
    expect(editor(page)).to_have_value("day|member")
    draft = queries.draft_of(roster)
    assert [
        (a.profile.name, a.date, a.duty_shift.shift_type.key, a.role)
        for a in draft.assignments.select_related("profile", "duty_shift__shift_type")
    ] == [("客服002", WEEKENDS[0], "day", "member")]

    # And on from there, still without the mouse; the cell left behind shows its shift as text.
    page.keyboard.press("Control+ArrowRight")
    on("客服002", WEEKENDS[1])
    expect(cell(page, "客服002", WEEKENDS[0])).to_have_text("白班")

"""The supervisor's month grid driven from the keyboard alone, like a spreadsheet, in Chromium (Chinese UI)."""

import pytest
from playwright.sync_api import expect

from roster import queries
from roster.tests.factories import MONTH, WEEKENDS, laid_out_month, make_agents

pytestmark = pytest.mark.browser
M = f"{MONTH:%Y-%m}"


def test_grid_keyboard_moves_between_cells_and_edits_one(page, login, team, agent, supervisor):
    make_agents(team, 2)  # rows by name: 客服001, 客服002, 张伟
    roster = laid_out_month(team)
    login(supervisor)
    page.goto(f"/roster/{team.slug}/{M}/draft/")
    expect(page.get_by_test_id("grid-keys-hint")).to_contain_text("Ctrl + 方向键")

    def cell(name, day):
        return page.get_by_test_id(f"cell-{name}-{day.isoformat()}")

    cell("客服001", WEEKENDS[0]).focus()
    page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("Control+ArrowRight")
    expect(cell("客服001", WEEKENDS[2])).to_be_focused()
    page.keyboard.press("Control+ArrowDown")
    page.keyboard.press("Control+ArrowDown")
    expect(cell("张伟", WEEKENDS[2])).to_be_focused()
    page.keyboard.press("Control+ArrowDown")  # the last row: stays put
    expect(cell("张伟", WEEKENDS[2])).to_be_focused()
    page.keyboard.press("End")
    expect(cell("张伟", WEEKENDS[-1])).to_be_focused()
    page.keyboard.press("Home")
    expect(cell("张伟", WEEKENDS[0])).to_be_focused()
    page.keyboard.press("Control+ArrowLeft")  # the first date: stays put
    page.keyboard.press("Control+ArrowUp")
    expect(cell("客服002", WEEKENDS[0])).to_be_focused()
    # Moving never changed a cell: nothing was saved, no draft was made.
    assert queries.draft_of(roster) is None

    # A plain down arrow picks the next option (白班) and saves it; the keyboard stays on the cell after the swap.
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id("total-duty-客服002")).to_have_text("1")
    expect(cell("客服002", WEEKENDS[0])).to_have_value("day|member")
    expect(cell("客服002", WEEKENDS[0])).to_be_focused()
    draft = queries.draft_of(roster)
    assert [(a.profile.name, a.date, a.duty_shift.shift_type.key, a.role)
            for a in draft.assignments.select_related("profile", "duty_shift__shift_type")] == [
        ("客服002", WEEKENDS[0], "day", "member")]

    # And on from there, still without the mouse.
    page.keyboard.press("Control+ArrowRight")
    expect(cell("客服002", WEEKENDS[1])).to_be_focused()

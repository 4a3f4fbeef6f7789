"""The month grid as a supervisor fills it in Chromium (Chinese UI): cells are text and one editor comes to the cell
being edited (issue 14). By mouse and by keyboard, the answer replaces only what changed (the row, the coverage,
the problem list), and an edit made on a page someone else has changed since is refused and changes nothing."""

import pytest
from playwright.sync_api import expect

from roster import queries, services
from roster.tests.grid_page import cell, choose, editor, pick, total
from testdata import MONTH, WEEKENDS, laid_out_month, make_agents

pytestmark = pytest.mark.browser
M = f"{MONTH:%Y-%m}"


def held(roster):
    return sorted(
        queries.draft_of(roster).assignments.values_list("profile__name", "date", "duty_shift__shift_type__key")
    )


def test_supervisor_fills_the_grid_by_mouse_and_keyboard_and_a_stale_page_is_refused(
    page, login, team, agent, supervisor
):
    make_agents(team, 3)  # rows by name: 客服001, 客服002, 客服003, 张伟; one day and one night shift, 1 person each
    roster = laid_out_month(team)
    login(supervisor)
    page.goto(f"/roster/{team.slug}/{M}/draft/")
    problems, w0 = page.get_by_test_id("grid-problems"), WEEKENDS[0]
    day_gaps = problems.get_by_role("listitem").filter(has_text="白班（")  # grouped: 白班（03-06、03-07…） 需要 1 人
    expect(day_gaps).to_contain_text(f"{w0:%m-%d}")
    expect(day_gaps).to_contain_text("需要 1 人，现有 0 人")
    expect(page.get_by_test_id(f"coverage-day-{w0.isoformat()}")).to_have_text("0/1")

    # By mouse: a click brings the editor to the cell, a choice saves it.
    choose(page, "客服001", w0, label="白班")
    expect(page.get_by_test_id(f"coverage-day-{w0.isoformat()}")).to_have_text("1/1")
    expect(day_gaps).not_to_contain_text(f"{w0:%m-%d}")
    expect(total(page, "客服001", "duty")).to_have_text("1")
    assert held(roster) == [("客服001", w0, "day")]

    # By keyboard: down to the next row, then the night shift on four dates in a row (R-ROSTER-3 allows three).
    page.keyboard.press("Control+ArrowDown")
    page.keyboard.press("Control+ArrowDown")
    expect(cell(page, "客服003", w0).locator("select")).to_be_focused()
    for n, day in enumerate(WEEKENDS[:4]):
        if n:
            page.keyboard.press("Control+ArrowRight")
        page.keyboard.press("ArrowDown")  # 白班 …
        page.keyboard.press("ArrowDown")  # … then 夜班: two saves, in the order they were made
        expect(page.get_by_test_id(f"coverage-night-{day.isoformat()}")).to_have_text("1/1")
    expect(problems).to_contain_text(f"{WEEKENDS[3]:%m-%d}：客服003 将连续上 4 个夜班，最多 3 个")
    page.keyboard.press("Control+ArrowRight")  # leave the cell: it shows its shift as text, marked as a problem
    expect(cell(page, "客服003", WEEKENDS[3])).to_have_text("夜班")
    expect(cell(page, "客服003", WEEKENDS[3])).to_have_class("night table-danger problem")
    expect(page.get_by_test_id("publish")).to_be_disabled()
    assert held(roster) == sorted([("客服001", w0, "day")] + [("客服003", d, "night") for d in WEEKENDS[:4]])
    expect(page.locator(".roster-grid select")).to_have_count(1)

    # Someone else changes the draft meanwhile: this page's next edit is refused and changes nothing.
    services.set_cell(
        roster,
        services.CellChange(profile_id=agent.profile.id, date=WEEKENDS[5], shift_key="day"),
        actor=supervisor.profile,
        expected_revision=None,
    )
    pick(page, "客服002", WEEKENDS[6]).select_option(label="夜班")
    expect(page.get_by_test_id("cell-error")).to_contain_text("其他人修改了这份排班表")
    expect(editor(page)).to_have_value("")
    assert ("客服002", WEEKENDS[6], "night") not in held(roster)

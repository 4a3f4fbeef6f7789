"""Issue #27 point 1 in Chromium: HR imports a file with no qualification column. The preview says each new person
will be a new hire; after the import they are new hires in the grid, the generation rosters them only as shadows
(R-ROSTER-6), and only after the lead records a pass does a generation roster one of them alone."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk import months
from dutydesk.models import Profile, Qualification
from people.services import qualification
from people.tests.factories import hr_rows, shadow_history, xlsx_bytes
from people.tests.test_e2e_people import _upload
from roster import queries
from roster.models import AssignmentRole
from roster.tests.test_services import worker  # noqa: F401  (a real Celery worker for the generate button)
from testdata import make_agents, make_shift_types, make_skill, past_weekend_days

pytestmark = pytest.mark.browser


def _generate(page, month: date) -> None:
    page.goto(f"/roster/team-east/{month:%Y-%m}/draft/")
    page.get_by_test_id("generate").click()
    # The score panel is there before the run ends: wait for the run's summary.
    expect(page.get_by_test_id("generation-summary")).to_be_visible(timeout=60_000)


def _roles(team, month: date, profile: Profile) -> set[str]:
    draft = queries.draft_of(queries.roster_for(team, month))
    return set(draft.assignments.filter(profile=profile).values_list("role", flat=True))


def test_e2e_import_without_qualification_column_makes_new_hires_until_the_lead_records_a_pass(
    page,
    login,
    worker,  # noqa: F811  (the fixture imported above)
    team,
    lead,
    supervisor,
):
    make_skill("refund", "退款处理")
    make_shift_types(team)
    make_agents(team, 4)
    login(supervisor)
    page.goto("/people/team-east/import/")
    _upload(page, "新人名单.xlsx", xlsx_bytes(hr_rows(2)))  # no 上岗资格 column
    expect(page.get_by_test_id("qualification-choice")).to_contain_text("文件未给出 2 名新成员的上岗资格")
    expect(page.get_by_test_id("row-qualification")).to_contain_text(["新员工，除非您在下方勾选"] * 2)
    expect(page.get_by_test_id("mark-qualified")).to_have_count(2)  # each may be marked as working alone
    page.get_by_test_id("import").click()
    expect(page.locator(".messages")).to_contain_text("已导入：新增 2 人")
    first, second = Profile.objects.get(employee_number="E0001"), Profile.objects.get(employee_number="E0002")
    assert (first.qualification, second.qualification) == (Qualification.NEW_HIRE, Qualification.NEW_HIRE)

    # Next month's draft: both are new hires in the grid and are rostered only beside someone (as shadows).
    next_month = months.next_month(timezone.localdate())
    _generate(page, next_month)
    expect(page.get_by_test_id("row-员工01").locator("th")).to_contain_text("新员工")
    expect(page.get_by_test_id("row-员工02").locator("th")).to_contain_text("新员工")
    assert _roles(team, next_month, first) <= {AssignmentRole.SHADOW}
    assert _roles(team, next_month, second) <= {AssignmentRole.SHADOW}

    # The first shadows twice and the lead records her pass: it counts from the first month without a roster.
    shadow_history(team, first, lead.profile, past_weekend_days(2), by=supervisor)
    check = qualification.record_check(
        profile=first, actor=lead.profile, result="passed", day=timezone.localdate(), examiner=lead.profile
    )
    counted = check.qualified_from
    _generate(page, counted)
    expect(page.get_by_test_id("row-员工01").locator("th")).to_have_text("员工01")  # no 新员工 badge any more
    expect(page.get_by_test_id("row-员工02").locator("th")).to_contain_text("新员工")
    assert _roles(team, counted, first) and AssignmentRole.SHADOW not in _roles(team, counted, first)
    assert _roles(team, counted, second) <= {AssignmentRole.SHADOW}

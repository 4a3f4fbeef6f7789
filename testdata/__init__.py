"""Test data, one way for every app's tests and the benchmarks (issue 28 item 3).

Plain functions, no factory library: what has invariants is made through the service that keeps them (a roster
version is put in force by `roster.services.put_in_force`, numbered, stamped with its publisher and recorded like a
real publication), the rest with the ORM. The package sits above every app (it may import all of them; no app's code
imports it: dutydesk/tests/test_layering.py checks both), and no test module defines its own publishing builder
(dutydesk/tests/test_one_way_to_build.py).

    from testdata import make_person, make_team, publish

    team = make_team("华东客服组", "team-east")
    agent = make_person(Role.AGENT, team, name="张伟")
    publish(team, [(agent, shift), (lead, shift, AssignmentRole.BACKUP)], by=supervisor)

Modules: people (teams, people, skills), dates (fixed months, weekend helpers, `at`), shifts (shift types and duty
shifts), roster (publishing, laid-out months, drafts), calendar (plain holiday calendars), leave (the small leave
roster, requests filed and decided through leave.services), logbook (sign-ins and entries through logbook.services),
appraisal, compensation. Every builder is exported here; a test module never defines one of these names again
(dutydesk/tests/test_one_way_to_build.py).
"""

from testdata.appraisal import evaluate
from testdata.calendar import package_calendar, sample_2027, sample_days
from testdata.compensation import worked
from testdata.dates import (
    MONTH,
    WEEKENDS,
    at,
    future_weekend_days,
    open_month,
    past_weekend_days,
    rest_day_in,
    saturdays,
    saturdays_before,
    weekends,
)
from testdata.leave import (
    DEFAULT_PLAN,
    Setup,
    approve_leave,
    approved_leave,
    file_leave,
    holders,
    leave_setup,
    proposed_swap,
    recorded_history,
    recorded_swap,
    refund_shift_types,
    rejected_leave,
    soon_setup,
)
from testdata.logbook import acknowledged, inquiry_data, open_entry, signed_in, write_entry
from testdata.people import PASSWORD, make_person, make_skill, make_team, profile_of
from testdata.roster import duty_dates, fill_draft, laid_out_month, make_agents, on_duty, publish, publish_draft
from testdata.shifts import duty_shift, make_shift, make_shift_types, running_shift, shift_type

__all__ = [
    "package_calendar",
    "sample_2027",
    "sample_days",
    "DEFAULT_PLAN",
    "MONTH",
    "PASSWORD",
    "Setup",
    "WEEKENDS",
    "acknowledged",
    "approve_leave",
    "approved_leave",
    "at",
    "duty_dates",
    "duty_shift",
    "evaluate",
    "file_leave",
    "fill_draft",
    "future_weekend_days",
    "holders",
    "inquiry_data",
    "laid_out_month",
    "leave_setup",
    "make_agents",
    "make_person",
    "make_shift",
    "make_shift_types",
    "make_skill",
    "make_team",
    "on_duty",
    "open_entry",
    "open_month",
    "past_weekend_days",
    "profile_of",
    "proposed_swap",
    "publish",
    "publish_draft",
    "recorded_history",
    "recorded_swap",
    "refund_shift_types",
    "rejected_leave",
    "rest_day_in",
    "running_shift",
    "saturdays",
    "saturdays_before",
    "shift_type",
    "signed_in",
    "soon_setup",
    "weekends",
    "worked",
    "write_entry",
]

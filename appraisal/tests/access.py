"""Sample URL values for the access matrix (dutydesk/tests/test_access.py): objects in `team`."""

from datetime import date

from appraisal import services
from dutydesk.months import month_start
from testdata import duty_shift, publish

SAMPLE_DAY = date(2026, 11, 7)  # a Saturday before "now" in the tests' clock


def url_samples(team, people) -> dict:
    agent = people["agent"].profile
    shift = duty_shift(team, SAMPLE_DAY)
    publish(team, [(agent, shift, "member")], by=people["supervisor"])
    appraisal = services.compute_appraisal(team=team, month=month_start(SAMPLE_DAY))
    return {"eval_shift": shift.pk, "appraisee": agent.pk, "appraisal": appraisal.pk, "dispute": 0}

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
"""

from testdata.people import PASSWORD, make_person, make_skill, make_team
from testdata.roster import publish, publish_draft

__all__ = ["PASSWORD", "make_person", "make_skill", "make_team", "publish", "publish_draft"]

"""Sample URL values for the access matrix (dutydesk/tests/test_access.py): objects in `team`."""


def url_samples(team, people) -> dict:
    # A person of the team (their ledger and month), and a reward id: the grant URL answers POST only, so the
    # matrix never reaches a missing score.
    return {"member": people["agent"].profile.pk, "reward_score": 0}

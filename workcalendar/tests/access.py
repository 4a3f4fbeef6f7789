"""Sample URL arguments for the access-matrix test (dutydesk/tests/test_access.py)."""


def url_samples(team, people) -> dict:
    return {"year": 2027, "calendar_day": "2027-01-01"}

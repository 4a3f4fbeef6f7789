"""Who an identity belongs to (rules.py): pure, no database."""

from datetime import date

import pytest

from dutydesk.sso import rules
from dutydesk.sso.rules import AMBIGUOUS, NO_MATCH, TAKEN, Candidate, Decision, Facts

TODAY = date(2027, 1, 31)


def person(pid, **fields):
    return Candidate(profile_id=pid, **fields)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("(021) 5555-1234", "02155551234"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_mobile(raw, normal):
    assert rules.normalise_mobile(raw) == normal


def test_steps_in_order_im_id_first():
    people = [person(1, im_id="zw"), person(2, employee_number="E1"), person(3, mobile="13800138000")]
    facts = Facts(uid="zw", employee_number="E1", mobile="13800138000")
    assert rules.match("wecom", facts, people, today=TODAY) == Decision(1, how="im_id")


def test_oidc_and_ldap_have_no_im_id_step():
    people = [person(1, im_id="zw"), person(2, employee_number="E1")]
    assert rules.match("oidc", Facts(uid="zw", employee_number="E1"), people, today=TODAY) == Decision(
        2, how="employee_number"
    )


def test_employee_number_then_mobile_then_email():
    people = [person(1, mobile="138 0013 8000"), person(2, email="Zhang@Example.com")]
    assert rules.match("wecom", Facts(uid="x", mobile="13800138000"), people, today=TODAY) == Decision(1, how="mobile")
    assert rules.match("wecom", Facts(uid="x", email="zhang@example.com"), people, today=TODAY) == Decision(
        2, how="email"
    )


def test_two_matches_stop_the_search_even_if_a_later_step_is_unique():
    people = [person(1, mobile="13800138000"), person(2, mobile="13800138000", email="a@example.com")]
    facts = Facts(uid="x", mobile="13800138000", email="a@example.com")
    assert rules.match("wecom", facts, people, today=TODAY) == Decision(None, refusal=AMBIGUOUS, step="mobile")


def test_no_match():
    assert rules.match(
        "wecom", Facts(uid="x", email="b@example.com"), [person(1, email="a@example.com")], today=TODAY
    ) == (Decision(None, refusal=NO_MATCH))


def test_blank_values_never_match_blank_fields():
    assert rules.match("wecom", Facts(uid=""), [person(1)], today=TODAY).refusal == NO_MATCH


def test_person_linked_to_another_identity_of_the_provider_is_taken():
    people = [person(1, employee_number="E1", linked_uid="other")]
    assert rules.match("wecom", Facts(uid="x", employee_number="E1"), people, today=TODAY) == Decision(
        None, refusal=TAKEN, step="employee_number"
    )


def test_leaver_from_the_leaving_date_is_no_candidate():
    people = [person(1, employee_number="E1", left_on=TODAY)]
    assert rules.match("wecom", Facts(uid="x", employee_number="E1"), people, today=TODAY).refusal == NO_MATCH
    assert rules.match("wecom", Facts(uid="x", employee_number="E1"), people, today=date(2027, 1, 30)).profile_id == 1


def test_leaver_beside_a_namesake_does_not_make_it_ambiguous():
    people = [person(1, mobile="13800138000", left_on=date(2026, 1, 1)), person(2, mobile="13800138000")]
    assert rules.match("wecom", Facts(uid="x", mobile="13800138000"), people, today=TODAY) == Decision(2, how="mobile")


def test_identity_usable_until_the_day_before_leaving():
    assert rules.identity_usable(None, TODAY)
    assert rules.identity_usable(date(2027, 2, 1), TODAY)
    assert not rules.identity_usable(TODAY, TODAY)


def test_facts_from_each_provider_in_its_documented_fields():
    assert rules.facts_from(
        "wecom",
        {
            "name": "张伟",
            "mobile": "+86 13800138000",
            "email": "ZW@x.com",
            "extattr": {"attrs": [{"name": "工号", "text": {"value": "E1"}}]},
        },
        "zw",
    ) == Facts(uid="zw", name="张伟", employee_number="E1", mobile="13800138000", email="zw@x.com")
    assert rules.facts_from("dingtalk", {"nick": "张伟", "job_number": "E2", "mobile": "13800138001"}, "d") == Facts(
        uid="d", name="张伟", employee_number="E2", mobile="13800138001"
    )
    assert rules.facts_from(
        "feishu", {"name": "张伟", "employee_no": "E3", "enterprise_email": "a@x.com"}, "f"
    ) == Facts(uid="f", name="张伟", employee_number="E3", email="a@x.com")
    assert rules.facts_from("oidc", {"name": "张伟", "phone_number": "13800138002", "employee_number": "E4"}, "s") == (
        Facts(uid="s", name="张伟", employee_number="E4", mobile="13800138002")
    )
    assert rules.facts_from("ldap", {"cn": "张伟", "employeeNumber": "E5", "mail": "b@x.com"}, "u") == Facts(
        uid="u", name="张伟", employee_number="E5", email="b@x.com"
    )

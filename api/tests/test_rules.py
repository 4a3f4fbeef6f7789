"""The API's pure rules: tokens, scopes, months, entity tags, the rate window, the webhook signature."""

from datetime import date

from api import rules


def test_a_token_is_kept_as_its_digest_and_shown_by_its_first_characters():
    token = "ddk_" + "a" * 43
    assert rules.digest(token) == rules.digest(token) != rules.digest(token[:-1] + "b")
    assert len(rules.digest(token)) == 64 and token not in rules.digest(token)
    assert rules.shown_prefix(token) == "ddk_aaaaaaaa"
    assert rules.well_formed(token)
    assert not rules.well_formed("ddk_short") and not rules.well_formed("Bearer " + token) and not rules.well_formed("")


def test_scopes_reach_only_their_actions():
    assert rules.scope_allows([], "home.view")  # every token sees which teams it may read
    assert rules.scope_allows(["roster:read"], "roster.view")
    assert not rules.scope_allows(["attendance:read"], "roster.view")
    assert rules.scope_allows(["statements:read"], "compensation.view_team")
    assert not rules.scope_allows(rules.SCOPES, "roster.edit")  # no scope reaches a page-only action


def test_months_in_addresses():
    assert rules.parse_month("2027-01") == date(2027, 1, 1)
    assert rules.parse_month("2026-12") == date(2026, 12, 1)
    for bad in ("2026-13", "2026-00", "2026-1", "26-01", "", None, "2026-01-05", "1999-12"):
        assert rules.parse_month(bad) is None, bad


def test_entity_tags_and_if_none_match():
    tag = rules.entity_tag(b'{"a": 1}')
    assert tag.startswith('"') and tag == rules.entity_tag(b'{"a": 1}') != rules.entity_tag(b'{"a": 2}')
    assert rules.none_match(tag, tag) and rules.none_match(f'"x", W/{tag}', tag) and rules.none_match("*", tag)
    assert not rules.none_match(None, tag) and not rules.none_match('"other"', tag)


def test_rate_window():
    assert rules.rate_window(120.0, 60) == (2, 60)
    assert rules.rate_window(179.2, 60) == (2, 1)
    assert rules.rate_window(150.5, 60) == (2, 30)


def test_webhook_signature_checks_body_timestamp_and_age():
    body = b'{"event": "roster.published"}'
    sig = rules.signature("s3cret", 1_800_000_000, body)
    assert rules.signature_valid("s3cret", 1_800_000_000, body, "sha256=" + sig, now=1_800_000_100)
    assert not rules.signature_valid("other", 1_800_000_000, body, sig, now=1_800_000_000)
    assert not rules.signature_valid("s3cret", 1_800_000_001, body, sig, now=1_800_000_001)
    assert not rules.signature_valid("s3cret", 1_800_000_000, body + b" ", sig, now=1_800_000_000)
    assert not rules.signature_valid("s3cret", 1_800_000_000, body, sig, now=1_800_000_301)  # too old: a replay

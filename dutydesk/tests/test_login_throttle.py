"""Guessing is throttled without a lock that one person can turn against a team (issue #22 item 6, issue #11 item
10): per account and address, per account from anywhere, and an address where many accounts failed asks a
challenge with the password but never refuses a correct one; the password-change form is throttled."""

import re

import pytest
from axes.models import AccessAttempt
from captcha.models import CaptchaStore

from testdata import PASSWORD

pytestmark = pytest.mark.django_db
ATTACKER, OFFICE, HOME = "203.0.113.7", "198.51.100.20", "192.0.2.44"


def _login(client, username, password, address, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _challenge(client, address) -> dict:
    """The challenge's fields as a person fills them: the key in the form, the answer read off the picture."""
    page = client.get("/accounts/login/", REMOTE_ADDR=address).content.decode()
    key = re.search(r'name="challenge_0" value="([0-9a-f]+)"', page).group(1)
    assert f"/captcha/image/{key}/" in page  # the picture a person reads
    return {"challenge_0": key, "challenge_1": CaptchaStore.objects.get(hashkey=key).response}


def _spray(client, address, accounts: int, start: int = 0):
    for number in range(start, start + accounts):  # one guess per name: no account is attacked twice
        assert _login(client, f"guess{number:02d}", "123456", address).status_code == 200


def test_many_accounts_failing_from_one_address_ask_a_challenge_never_a_lock(client, settings, agent, lead):
    settings.AXES_IP_ACCOUNT_LIMIT = 10
    _spray(client, OFFICE, 40)  # before: 30 failures locked the whole address for 15 minutes, right password or not
    asked = _login(client, "agent", PASSWORD, OFFICE)
    assert (asked.status_code, _signed_in(client)) == (200, False)
    assert "请同时计算图中的算式" in asked.content.decode()
    answered = _login(client, "agent", PASSWORD, OFFICE, **_challenge(client, OFFICE))
    assert (answered.status_code, _signed_in(client)) == (302, True)
    # Elsewhere nobody is asked anything.
    client.logout()
    assert _login(client, "lead", PASSWORD, HOME).status_code == 302


def test_below_the_account_count_no_challenge_is_asked(client, settings, agent):
    settings.AXES_IP_ACCOUNT_LIMIT = 10
    _spray(client, OFFICE, 9)
    for attempt in range(3):  # repeated failures of one account count as one account
        _login(client, "guess00", f"x{attempt}", OFFICE)
    assert _login(client, "agent", PASSWORD, OFFICE).status_code == 302


def test_a_wrong_answer_tries_no_password_and_counts_no_failure(client, settings, agent):
    settings.AXES_IP_ACCOUNT_LIMIT = 10
    _spray(client, OFFICE, 10)
    failures = sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))
    wrong = {**_challenge(client, OFFICE), "challenge_1": "-1"}
    response = _login(client, "agent", PASSWORD, OFFICE, **wrong)
    assert (response.status_code, _signed_in(client)) == (200, False)
    assert "不是算式的结果" in response.content.decode()
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == failures
    assert not AccessAttempt.objects.filter(username="agent").exists()


def test_one_account_from_one_address_is_locked_there_only(client, agent):
    for attempt in range(5):
        _login(client, "agent", f"wrong-{attempt}", ATTACKER)
    assert _login(client, "agent", PASSWORD, ATTACKER).status_code == 429
    assert _signed_in(client) is False
    assert _login(client, "agent", PASSWORD, OFFICE).status_code == 302


def test_one_account_guessed_from_many_addresses_is_locked_that_account_only(client, settings, agent, lead):
    settings.AXES_ACCOUNT_FAILURE_LIMIT = 20
    for number in range(20):  # 20 addresses, one guess each: never 5 from one
        _login(client, "agent", "123456", f"203.0.113.{number + 1}")
    assert _login(client, "agent", PASSWORD, OFFICE).status_code == 429
    assert _login(client, "lead", PASSWORD, OFFICE).status_code == 302


def test_the_challenge_does_not_let_an_attacker_guess_one_account_more_often(client, settings, agent):
    settings.AXES_IP_ACCOUNT_LIMIT = 10
    _spray(client, ATTACKER, 10)
    for attempt in range(5):
        _login(client, "agent", f"wrong-{attempt}", ATTACKER, **_challenge(client, ATTACKER))
    assert _login(client, "agent", PASSWORD, ATTACKER, **_challenge(client, ATTACKER)).status_code == 429


def test_one_own_correct_login_does_not_reset_the_address_count(client, settings, agent, lead):
    settings.AXES_IP_ACCOUNT_LIMIT = 10
    _spray(client, ATTACKER, 9)
    assert _login(client, "lead", PASSWORD, ATTACKER).status_code == 302  # the attacker's own account
    client.logout()
    _login(client, "guess-last", "123456", ATTACKER)
    assert _login(client, "agent", PASSWORD, ATTACKER).status_code == 200
    assert _signed_in(client) is False  # asked the challenge


def test_password_change_is_locked_after_five_wrong_current_passwords(client, agent):
    client.force_login(agent)
    statuses = []
    for attempt in range(12):
        response = client.post(
            "/accounts/password/",
            {
                "old_password": f"wrong-{attempt}",
                "new_password1": "a-new-Secret-2026",
                "new_password2": "a-new-Secret-2026",
            },
        )
        statuses.append(response.status_code)
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) <= {200, 429}
    # Even the right current password is refused now, with the reason.
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a-new-Secret-2026", "new_password2": "a-new-Secret-2026"},
    )
    assert response.status_code in (200, 429)
    assert "错误次数过多" in response.content.decode() or "登录失败次数过多" in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)

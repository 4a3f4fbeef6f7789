"""Issue #11 item 10: guesses spread over many user names lock the address; the password-change form is throttled."""

import pytest

from dutydesk.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ATTACKER, OFFICE = "203.0.113.7", "198.51.100.20"


def _login(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_guesses_over_many_user_names_lock_the_address_not_the_others(client, settings, agent, lead):
    settings.AXES_IP_FAILURE_LIMIT = 30
    for number in range(30):  # never 5 for one name: the per-account lock alone never fires
        _login(client, f"guess{number:02d}", "123456", ATTACKER)
    response = _login(client, "agent", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The rest of the world still signs in.
    assert _login(client, "lead", PASSWORD, OFFICE).status_code == 302


def test_one_own_correct_login_does_not_reset_the_address_count(client, settings, agent, lead):
    settings.AXES_IP_FAILURE_LIMIT = 10
    for number in range(9):
        _login(client, f"guess{number}", "123456", ATTACKER)
    assert _login(client, "lead", PASSWORD, ATTACKER).status_code == 302  # the attacker's own account
    client.logout()
    _login(client, "guess-last", "123456", ATTACKER)
    assert _login(client, "agent", PASSWORD, ATTACKER).status_code == 429


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

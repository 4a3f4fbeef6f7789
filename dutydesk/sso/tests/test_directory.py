"""Signing in with the company directory (LDAP, django-auth-ldap) against a real slapd: the directory's password
signs in the person HR imported, found by employee number, mobile or email; nobody else, and never a new account."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user
from django.contrib.auth.models import User
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.sso import crypto, services
from dutydesk.sso.tests.test_sign_in import signed_in_as
from testdata import make_person

pytestmark = pytest.mark.usefixtures("english")


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_directory_password_signs_in_the_person_with_that_employee_number(client, agent, directory):
    agent.profile.employee_number = "E4001"
    agent.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", employeeNumber="E4001")
    response = log_in(client, "zwei", "dir-secret")
    assert response.status_code == 302
    assert signed_in_as(client) == agent.pk
    assert list(SocialAccount.objects.values_list("provider", "uid", "user_id")) == [("ldap", "zwei", agent.pk)]
    client.logout()
    assert log_in(client, "zwei", "dir-secret").status_code == 302 and signed_in_as(client) == agent.pk


def test_wrong_directory_password_signs_in_nobody(client, agent, directory):
    agent.profile.employee_number = "E4001"
    agent.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", employeeNumber="E4001")
    response = log_in(client, "zwei", "wrong")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert SocialAccount.objects.count() == 0


def test_directory_person_not_on_the_list_is_told_to_ask(client, agent, directory):
    users = User.objects.count()
    directory.add_person("stranger", name="路人", password="dir-secret", mail="nobody@example.com")
    response = log_in(client, "stranger", "dir-secret")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert "Ask your supervisor to link your account" in response.content.decode()
    assert User.objects.count() == users and SocialAccount.objects.count() == 0


def test_two_people_with_the_directory_mobile_link_nobody(client, team, directory):
    for name in ("a", "b"):
        person = make_person(Role.AGENT, team, username=name)
        person.profile.phone = "13800138000"
        person.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", mobile="+86 138 0013 8000")
    response = log_in(client, "zwei", "dir-secret")
    assert signed_in_as(client) is None and SocialAccount.objects.count() == 0
    assert "Several people on the team's list match" in response.content.decode()


def test_directory_leaver_cannot_sign_in(client, agent, directory):
    agent.profile.employee_number = "E4001"
    agent.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", employeeNumber="E4001")
    log_in(client, "zwei", "dir-secret")
    client.logout()
    agent.profile.left_on = timezone.localdate()
    agent.profile.save()
    response = log_in(client, "zwei", "dir-secret")
    assert signed_in_as(client) is None
    assert "no longer on duty here" in response.content.decode()


def test_passwords_off_refuse_dutydesk_passwords_but_not_the_directory(client, agent, manager, directory):
    agent.profile.employee_number = "E4001"
    agent.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", employeeNumber="E4001")
    services.set_passwords_allowed(allowed=False, editor=manager.profile)
    from testdata import PASSWORD

    assert log_in(client, "agent", PASSWORD).status_code == 200 and signed_in_as(client) is None
    assert log_in(client, "zwei", "dir-secret").status_code == 302 and get_user(client).pk == agent.pk


def test_directory_connection_test_names_a_wrong_bind_password(directory):
    from dutydesk.sso.models import ProviderSettings

    row = ProviderSettings.objects.get(provider="ldap")
    services.test_connection(row)  # the fixture's settings work
    row.secret_encrypted = crypto.encrypt("wrong")
    with pytest.raises(services.SsoError, match="refused the bind DN"):
        services.test_connection(row)
    row.secret_encrypted, row.secret_env = "", "DUTYDESK_TEST_NO_SUCH_VARIABLE"
    with pytest.raises(services.SsoError, match="no bind password"):
        services.test_connection(row)


def test_guessing_a_directory_password_is_throttled_like_any_sign_in(client, agent, directory):
    # The directory's passwords go through our login form, so they are throttled as ours are (django-axes,
    # dutydesk/login_throttle.py): after AXES_FAILURE_LIMIT wrong ones even the right one is refused for the
    # cool-off.
    agent.profile.employee_number = "E4001"
    agent.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", employeeNumber="E4001")
    assert [log_in(client, "zwei", "guess").status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    locked = log_in(client, "zwei", "dir-secret")
    assert signed_in_as(client) is None and SocialAccount.objects.count() == 0
    assert locked.status_code == 429 and 'data-testid="locked-out"' in locked.content.decode()


def test_directory_password_from_a_suspicious_address_asks_the_challenge_first(client, settings, agent, directory):
    # harden's challenge (login_throttle.ChallengeMixin) covers the directory's passwords too: they go through the
    # same form, and until the sum is answered the directory's password is not tried (no link, nobody signed in).
    from dutydesk.tests.test_login_throttle import _challenge

    settings.AXES_IP_ACCOUNT_LIMIT = 3
    agent.profile.employee_number = "E4001"
    agent.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", employeeNumber="E4001")
    office = "198.51.100.20"
    for n in range(3):
        client.post("/accounts/login/", {"username": f"guess{n}", "password": "123456"}, REMOTE_ADDR=office)
    asked = client.post("/accounts/login/", {"username": "zwei", "password": "dir-secret"}, REMOTE_ADDR=office)
    assert asked.status_code == 200 and 'data-testid="login-challenge"' in asked.content.decode()
    assert signed_in_as(client) is None and SocialAccount.objects.count() == 0
    answered = client.post(
        "/accounts/login/",
        {"username": "zwei", "password": "dir-secret", **_challenge(client, office)},
        REMOTE_ADDR=office,
    )
    assert answered.status_code == 302 and signed_in_as(client) == agent.pk
    assert SocialAccount.objects.filter(provider="ldap", uid="zwei", user=agent).exists()

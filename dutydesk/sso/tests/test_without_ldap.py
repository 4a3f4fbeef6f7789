"""A server without python-ldap (requirements-ldap.txt is optional: it builds only where the LDAP headers are): the
sign-in modules import, the directory signs nobody in, and the settings page says LDAP support is not installed
instead of a form. `make test` has python-ldap; its absence is simulated at the import system (sys.modules[name] =
None makes `import ldap` fail and importlib find nothing), never by replacing our own check."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import translation

from dutydesk.sso import connection, rules
from dutydesk.sso.models import ProviderSettings
from dutydesk.sso.tests.test_sign_in import signed_in_as

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def no_python_ldap(monkeypatch):
    for name in ("ldap", "django_auth_ldap", "django_auth_ldap.backend", "django_auth_ldap.config"):
        monkeypatch.setitem(sys.modules, name, None)


def test_rule_only_the_directory_needs_python_ldap():
    assert rules.provider_installed(rules.LDAP, ldap_importable=False) is False
    assert rules.provider_installed(rules.LDAP, ldap_importable=True) is True
    for provider in (rules.WECOM, rules.DINGTALK, rules.FEISHU, rules.OIDC):
        assert rules.provider_installed(provider, ldap_importable=False) is True


def test_this_server_has_python_ldap_and_says_so():
    # make test needs python-ldap (the Makefile refuses to run without it): the check reads the real import system.
    assert connection.ldap_installed() is True


def test_sign_in_modules_import_without_python_ldap():
    # A fresh interpreter where python-ldap cannot be imported: nothing at the top of the sign-in modules needs it.
    script = (
        "import sys\n"
        "for name in ('ldap', 'django_auth_ldap'):\n"
        "    sys.modules[name] = None\n"
        "import django\n"
        "django.setup()\n"
        "from dutydesk.sso import backends, connection, forms, services, views\n"
        "import dutydesk.urls\n"
        "assert not connection.ldap_installed()\n"
        "assert backends.DirectoryBackend().authenticate(None, username='zwei', password='x') is None\n"
        "print('imported')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "dutydesk.settings_test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported"


def test_directory_signs_nobody_in_without_python_ldap(client, agent, directory, no_python_ldap):
    agent.profile.employee_number = "E4001"
    agent.profile.save()
    directory.add_person("zwei", name="张伟", password="dir-secret", employeeNumber="E4001")
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="zwei", password="dir-secret") is None
    response = client.post("/accounts/login/", {"username": "zwei", "password": "dir-secret"})
    assert response.status_code == 200 and signed_in_as(client) is None


def test_login_page_offers_no_directory_sign_in_without_python_ldap(client, wecom, directory, no_python_ldap):
    # With a chat app on, the password form is introduced as the directory's when the directory can sign people in.
    with translation.override("en"):
        page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "or with your password" in page and "company directory account" not in page


@pytest.mark.parametrize(
    ("language", "says"),
    [("en", "LDAP support is not installed on this server"), ("zh-hans", "本服务器没有安装 LDAP 支持")],
)
def test_settings_page_says_ldap_is_not_installed(client, manager, no_python_ldap, language, says):
    client.force_login(manager)
    client.cookies["django_language"] = language
    with translation.override(language):
        page = client.get("/accounts/providers/ldap/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        listing = client.get("/accounts/providers/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert says in page and 'data-testid="provider-not-installed"' in page
    assert 'data-testid="provider-form"' not in page and 'data-testid="provider-test"' not in page
    assert listing.count('data-testid="not-installed"') == 1
    # The other providers' pages keep their form.
    assert 'data-testid="provider-form"' in client.get("/accounts/providers/oidc/").content.decode()


def test_turning_the_directory_on_without_python_ldap_changes_nothing(client, manager, slapd, no_python_ldap):
    client.force_login(manager)
    with translation.override("en"):
        response = client.post(
            "/accounts/providers/ldap/",
            {"enabled": "on", "server_url": slapd.ldap_uri, "search_base": slapd.people_base},
            HTTP_ACCEPT_LANGUAGE="en",
            follow=True,
        )
    assert "LDAP support is not installed on this server" in response.content.decode()
    assert not ProviderSettings.objects.exists()


def test_services_refuse_turning_the_directory_on_and_the_test_says_why(manager, directory, no_python_ldap):
    from dutydesk.sso import services

    with translation.override("en"), pytest.raises(services.SsoError, match="not installed on this server"):
        services.save_provider_settings(provider="ldap", editor=manager.profile, values={"enabled": True}, secret=None)
    row = ProviderSettings.objects.get(provider="ldap")
    with translation.override("en"), pytest.raises(services.SsoError, match="not installed on this server"):
        services.test_connection(row)

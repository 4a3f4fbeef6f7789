"""Fixtures of the sign-in tests: local servers that answer as WeCom, DingTalk, Feishu, an OpenID Connect provider
(fake_providers.py) and an LDAP directory (slapd, directory.py), and the company's provider settings pointing at
them."""

import pytest

from dutydesk.sso import crypto
from dutydesk.sso.models import ProviderSettings
from dutydesk.sso.tests.directory import Directory
from dutydesk.sso.tests.fake_providers import FakeDingTalk, FakeFeishu, FakeOidc, FakeWeCom


def _point_at(settings, platform: str, url: str) -> None:
    settings.SSO_PROVIDER_BASE_URLS = {**settings.SSO_PROVIDER_BASE_URLS, platform: url}


@pytest.fixture
def wecom(db, settings):
    with FakeWeCom() as fake:
        _point_at(settings, "wecom", fake.url)
        ProviderSettings.objects.create(
            provider="wecom",
            enabled=True,
            corp_id=fake.corp_id,
            agent_id=fake.agent_id,
            secret_encrypted=crypto.encrypt(fake.secret),
            messaging=True,
            messages_per_minute=600,
        )
        yield fake


@pytest.fixture
def dingtalk(db, settings):
    with FakeDingTalk() as fake:
        _point_at(settings, "dingtalk", fake.url)
        ProviderSettings.objects.create(
            provider="dingtalk",
            enabled=True,
            corp_id=fake.corp_id,
            agent_id=fake.agent_id,
            app_key=fake.app_key,
            secret_encrypted=crypto.encrypt(fake.secret),
            messaging=True,
            messages_per_minute=1500,
        )
        yield fake


@pytest.fixture
def feishu(db, settings):
    with FakeFeishu() as fake:
        _point_at(settings, "feishu", fake.url)
        ProviderSettings.objects.create(
            provider="feishu",
            enabled=True,
            app_key=fake.app_key,
            secret_encrypted=crypto.encrypt(fake.secret),
            messaging=True,
            messages_per_minute=1000,
        )
        yield fake


@pytest.fixture
def oidc(db):
    with FakeOidc() as fake:
        ProviderSettings.objects.create(
            provider="oidc",
            enabled=True,
            server_url=fake.url,
            app_key=fake.client.client_id,
            secret_encrypted=crypto.encrypt(fake.client.client_secret),
        )
        yield fake


@pytest.fixture(scope="session")
def slapd():
    server = Directory()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def directory(db, slapd):
    ProviderSettings.objects.create(
        provider="ldap",
        enabled=True,
        server_url=slapd.ldap_uri,
        search_base=slapd.people_base,
        login_attribute="uid",
        app_key=slapd.root_dn,
        secret_encrypted=crypto.encrypt(slapd.root_pw),
    )
    yield slapd
    list(slapd.ldapdelete_children())


@pytest.fixture(autouse=True)
def fresh_send_counts():
    """Each test starts with the chat apps' per-minute send counts at zero (they live in the tests' Redis)."""
    import time

    from django.core.cache import cache

    minute = int(time.time() // 60)
    cache.delete_many([f"sso:rate:{p}:{m}" for p in ("wecom", "dingtalk", "feishu") for m in (minute, minute + 1)])


@pytest.fixture
def client():
    """Django's test client asking for English pages: these tests read the messages in the source language
    (dutydesk/tests/test_translations.py checks the Chinese)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")

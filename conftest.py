"""People every test needs, including the ones who must be refused (another team's staff)."""

import os
import shutil

import pytest

from dutydesk.models import Role
from dutydesk.testing import english  # noqa: F401  (a fixture: tests assert messages in English)
from testdata import PASSWORD, make_person, make_team

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test are still
# synchronous and safe, so let them through.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """The test runner starts this checkout's embedded PostgreSQL and Redis (settings start nothing) unless
    DATABASE_URL and REDIS_URL are given (`make test` gives them). Subprocesses and xdist workers inherit the URLs.
    Servers started here are left running, as manage.py leaves them (`make services-stop` stops them)."""
    from django.conf import settings

    from dutydesk import embedded

    if embedded.ensure_started() and settings.DATABASES["default"]["HOST"] != embedded.socket_dir():
        # pgserver put the socket elsewhere than var/pg (a very long checkout path): settings could not know.
        raise pytest.UsageError("Start the embedded servers first: python -m dutydesk.embedded start")


# Parallel runs (`make test` runs pytest-xdist's `-n auto`): the longest tests first, so that no worker is left
# with one of them at the end while the others idle (a demo load or a dev-server run is 20-90 s; most tests take
# under a second). Whole files, in the order a run spends the most time in them; a new test file that takes more
# than ~15 s goes in here. Serial runs keep the collection order.
LONG_FIRST = [
    "dutydesk/tests/test_demo.py",
    "roster/tests/test_demo_law.py",
    "roster/tests/test_e2e_balance.py",
    "dutydesk/tests/test_e2e_every_page.py",
    "dutydesk/tests/test_devserver_services.py",
    "dutydesk/tests/test_demo_loading.py",
    "leave/tests/test_migration_from_roster.py",
    "dutydesk/sso/tests/test_demo.py",
    "dutydesk/tests/test_devserver.py",
    "dutydesk/tests/test_hostile_input.py",
    "dutydesk/tests/test_e2e_csp.py",
    "dutydesk/notifications/tests/test_database_fault.py",
    "leave/tests/test_e2e_leave.py",
    "roster/tests/test_e2e_roster.py",
    "api/tests/test_webhook_worker.py",
]


def pytest_collection_modifyitems(config, items):
    if not getattr(config.option, "numprocesses", None):
        return
    rank = {path: index for index, path in enumerate(LONG_FIRST)}
    # sorted() is stable: the other tests keep their order (every worker must collect the same order).
    items[:] = sorted(items, key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: as many workers as cores, at least 3 (browser, database and subprocess tests wait much of their
    time, so even 2 cores keep 3 workers busy; measured in DEVELOPERS.md, Tests). DUTYDESK_TEST_WORKERS overrides.
    Each worker has its own test database and Redis database (dutydesk/settings_test.py): at most 15."""
    if os.environ.get("DUTYDESK_TEST_WORKERS"):
        return int(os.environ["DUTYDESK_TEST_WORKERS"])
    return min(15, max(3, len(os.sched_getaffinity(0))))


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's language (zh-hans) whatever the test before it in this worker activated (a
    request, a task or translation.override left open): with the suite in parallel, the order differs per run."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """--reuse-db keeps the test database between runs; a run stopped inside a transaction=True test leaves its
    rows behind, and the next run would fail on them. Start from the empty database every test expects."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def team(db):
    return make_team("华东客服组", "team-east")


@pytest.fixture
def other_team(db):
    return make_team("华南客服组", "team-south")


@pytest.fixture
def agent(team):
    return make_person(Role.AGENT, team, username="agent", name="张伟")


@pytest.fixture
def lead(team):
    return make_person(Role.LEAD, team, username="lead", name="李娜")


@pytest.fixture
def supervisor(team):
    """A supervisor whose own team it is (and who oversees no other): found through `team` only."""
    return make_person(Role.SUPERVISOR, team, username="supervisor", name="王芳")


@pytest.fixture
def overseer(team):
    """A supervisor with no team of their own who oversees this one: found through `oversees` only. Beside
    `supervisor`, a test that asks "who are this team's supervisors?" shows a query that checks only one way."""
    return make_person(Role.SUPERVISOR, None, username="overseer", name="钱红", oversees=[team])


@pytest.fixture
def manager(team, other_team):
    return make_person(Role.MANAGER, None, username="manager", name="刘强", oversees=[team, other_team])


@pytest.fixture
def outsider(other_team):
    """A supervisor of another team: must never see this team's pages."""
    return make_person(Role.SUPERVISOR, other_team, username="outsider", name="陈静", oversees=[other_team])


@pytest.fixture
def people(agent, lead, supervisor, manager, outsider):
    return {"agent": agent, "lead": lead, "supervisor": supervisor, "manager": manager, "outsider": outsider}


# --- Browser tests (Playwright driving Chromium against pytest-django's live server) -------------------------


def _chromium_path() -> str:
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    raise RuntimeError("Browser tests need Chromium: apt-get install -y chromium (as .ci/run does), or set CHROMIUM.")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log in through the real login page as the given user."""

    def log_in(user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        page.get_by_test_id("login-submit").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return log_in

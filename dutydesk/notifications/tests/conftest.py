"""Fixtures of the notification tests: local sinks and a real Celery worker in a thread (dutydesk.testing)."""

import pytest

from dutydesk.notifications.tests.sinks import RobotSink, SmtpSink
from dutydesk.testing import celery_worker


@pytest.fixture
def sink():
    with RobotSink() as robot_sink:
        yield robot_sink


@pytest.fixture
def smtp_sink():
    with SmtpSink() as smtp:
        yield smtp


@pytest.fixture
def worker(transactional_db):
    with celery_worker() as app:
        yield app

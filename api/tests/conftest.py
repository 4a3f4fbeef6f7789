import pytest

from api.tests.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as local:
        yield local

import pytest

from data_scripts import _download
from tests.data_scripts.helpers import FileServer


@pytest.fixture
def server():
    """A loopback HTTP server (127.0.0.1, a free port), shut down after the test."""
    running = FileServer().start()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _no_retry_wait(monkeypatch):
    monkeypatch.setattr(_download, "RETRY_DELAY_S", 0.0)

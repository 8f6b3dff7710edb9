"""Fixtures for the integration tests beyond the suite's own (tests/conftest.py)."""

import pytest

from tests.integration.datasets_support import start_portal


@pytest.fixture(scope="session")
def portal():
    """A stand-in data portal on 127.0.0.1, shared by the dataset tests (see datasets_support)."""
    server = start_portal()
    yield server
    server.stop()

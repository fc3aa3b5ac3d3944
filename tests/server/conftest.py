"""Fixtures of the server tests."""
import pytest

from serverlib import start_server, stop_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("server"))
    yield s
    stop_server(s)

"""The embedded server, started as the README's run command starts it."""

from collections.abc import Iterator

import pytest

from tests.servers import TrellisServer, running_trellis_server

DEMO_PASSWORD = "demo-password-for-tests"


@pytest.fixture(scope="module")
def embedded_server(tmp_path_factory) -> Iterator[TrellisServer]:
    with running_trellis_server(tmp_path_factory.mktemp("embedded"), DEMO_PASSWORD) as server:
        yield server

"""The embedded server collects artifact garbage in the background, as `manage.py serve` promises."""

import time

import pytest

from tests.embedded.conftest import DEMO_PASSWORD
from tests.servers import running_trellis_server

pytestmark = pytest.mark.timeout(120)

WAIT_SECONDS = 60.0


def test_the_server_deletes_an_unreferenced_artifact_on_its_own(tmp_path):
    # What a step killed after writing its output leaves: a file no record or step names.
    digest = "ab" * 32
    orphan = tmp_path / "artifacts" / digest[:2] / f"{digest}.parquet"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"an output nobody recorded")
    collect_every_second = {"TRELLIS_COLLECT_INTERVAL_SECONDS": "1", "TRELLIS_ARTIFACT_GRACE_SECONDS": "0"}

    with running_trellis_server(tmp_path, DEMO_PASSWORD, collect_every_second):
        deadline = time.monotonic() + WAIT_SECONDS
        while orphan.exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    assert not orphan.exists()

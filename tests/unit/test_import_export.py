"""Import Data and Export Data as modules: a stored dataset version, a URL, and their schemas and determinism."""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from modules.data_access import configure_data_access, data_access
from modules.fetch import FetchPolicy
from modules.ports import TABLE
from modules.spec import ModuleError
from runner.artifacts import ArtifactStore
from tests.http_files import file_server
from tests.unit.conftest import run

PEOPLE = pd.DataFrame({"name": ["Ada", "Alan"], "born": [1815, 1912]})


@dataclass
class AccessForTests:
    store: ArtifactStore
    policy: FetchPolicy

    def table_path(self, digest: str) -> Path:
        path = self.store.path(digest, TABLE)
        if not path.is_file():
            raise LookupError(f"no {digest}")
        return path

    def fetch_policy(self) -> FetchPolicy:
        return self.policy


@pytest.fixture
def store(tmp_path):
    previous = data_access()
    store = ArtifactStore(tmp_path / "artifacts")
    configure_data_access(AccessForTests(store, FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}))))
    yield store
    configure_data_access(previous)


def test_a_pinned_version_is_read_from_the_store_by_its_digest(registry, store):
    digest = store.write(PEOPLE, TABLE).digest

    table = run(registry, "import_data", source="dataset", dataset=3, dataset_version=digest)["dataset"]

    pd.testing.assert_frame_equal(table, PEOPLE)


def test_a_pinned_version_states_its_columns_before_anything_runs(registry, store):
    digest = store.write(PEOPLE, TABLE).digest
    spec = registry.get("import_data")

    schemas = spec.output_schemas({}, {"source": "dataset", "dataset": 3, "dataset_version": digest})

    assert schemas["dataset"].to_json() == {
        "columns": [{"name": "name", "type": "string"}, {"name": "born", "type": "integer"}],
        "complete": True,
    }
    assert spec.output_schemas({}, {"source": "url", "url": "https://example.org/a.csv"}) == {"dataset": None}
    not_stored = {"source": "dataset", "dataset": 3, "dataset_version": "0" * 64}
    assert spec.output_schemas({}, not_stored) == {"dataset": None}


def test_a_version_missing_from_the_store_fails_with_a_message(registry, store):
    with pytest.raises(ModuleError, match="is not in the artifact store"):
        run(registry, "import_data", source="dataset", dataset=3, dataset_version="ab" * 32)


def test_a_dataset_source_without_a_version_says_what_to_choose(registry, store):
    with pytest.raises(ModuleError, match="choose a dataset and one of its versions"):
        run(registry, "import_data", source="dataset")


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/people.csv", PEOPLE.to_csv(index=False).encode(), "text/csv"),
        ("/people", PEOPLE.to_csv(index=False, sep="\t").encode(), "text/tab-separated-values"),
        ("/export", PEOPLE.to_json(orient="records").encode(), "application/json"),
    ],
)
def test_a_url_is_downloaded_and_its_format_detected(registry, store, path, body, content_type):
    with file_server() as server:
        url = server.put(path, body, content_type) + "?version=7"
        table = run(registry, "import_data", source="url", url=url)["dataset"]
    pd.testing.assert_frame_equal(table, PEOPLE)


def test_a_chosen_format_overrides_detection(registry, store):
    with file_server() as server:
        url = server.put("/people.txt", PEOPLE.to_csv(index=False, sep="\t").encode(), "text/plain")
        table = run(registry, "import_data", source="url", url=url, file_format="tsv")["dataset"]
    pd.testing.assert_frame_equal(table, PEOPLE)


def test_a_private_url_is_refused_unless_listed(registry, store):
    store_only = AccessForTests(store, FetchPolicy())
    configure_data_access(store_only)
    with file_server() as server:
        url = server.put("/people.csv", PEOPLE.to_csv(index=False).encode())
        with pytest.raises(ModuleError, match="TRELLIS_IMPORT_ALLOWED_HOSTS"):
            run(registry, "import_data", source="url", url=url)


def test_only_a_url_import_and_an_export_to_a_dataset_always_run(registry):
    importer, exporter = registry.get("import_data"), registry.get("export_data")
    assert importer.deterministic_for({"source": "dataset", "dataset": 1, "dataset_version": "a" * 64})
    assert not importer.deterministic_for({"source": "url", "url": "https://example.org/a.csv"})
    assert not exporter.deterministic_for({"destination": "dataset", "dataset_name": "scores"})
    assert exporter.deterministic_for({"destination": "download"})


def test_export_passes_its_table_through_and_needs_a_name_for_a_dataset(registry):
    outputs = run(registry, "export_data", {"dataset": PEOPLE}, destination="dataset", dataset_name="people")
    assert outputs["dataset"] is PEOPLE
    assert run(registry, "export_data", {"dataset": PEOPLE}, destination="download")["dataset"] is PEOPLE
    with pytest.raises(ModuleError, match="name the dataset to export to"):
        run(registry, "export_data", {"dataset": PEOPLE}, destination="dataset", dataset_name="  ")


def test_dataset_parameters_take_an_id_and_a_digest(registry):
    spec = registry.get("import_data")
    assert spec.parse_parameters({"dataset": "12", "dataset_version": "f" * 64})["dataset"] == 12
    bad_values = [{"dataset": 0}, {"dataset": True}, {"dataset": "first"}]
    bad_values += [{"dataset_version": "v2"}, {"dataset_version": "F" * 64}]
    for bad in bad_values:
        with pytest.raises(ValueError, match=r"parameter 'dataset(_version)?'"):
            spec.parse_parameters(bad)

"""Execute Python Script's third input: a zip of helper code, importable in the step and part of its cache key."""

import io
import textwrap

import pytest

from designer.datasets.datasets import Upload, dataset_create
from modules.archives import make_archive
from modules.data_access import stored_table
from runner.submit import run_submit
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of
from tests.runner.test_caching import outcomes, rerun

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("artifact_dir", "eager_tasks")]

SCRIPT = textwrap.dedent(
    """
    import os
    import helpers

    def azureml_main(dataframe1=None, dataframe2=None):
        dataframe1["shifted"] = dataframe1.iloc[:, 0] + helpers.OFFSET
        print("helpers from", os.path.relpath(helpers.__file__))
        return dataframe1,
    """
)


def bundled_script(offset: int = 10, hostile: bool = False) -> dict:
    return (
        GraphBuilder()
        .node("load", "enter_data_manually", data="x\n1\n2\n")
        .node("bundle", "make_bundle", offset=offset, hostile=hostile)
        .node("script", "execute_python_script", script=SCRIPT)
        .edge("load.dataset", "script.dataframe1")
        .edge("bundle.bundle", "script.script_bundle")
        .build()
    )


def test_the_bundle_is_importable_from_the_scripts_folder_and_a_changed_bundle_reruns_the_script(team):
    first = run_submit(version_of(team, bundled_script()), team.owner)

    first.refresh_from_db()
    assert first.status == "completed", first.error
    script = first.steps.get(node_id="script")
    assert "helpers from script_bundle/helpers/__init__.py" in script.log

    same = rerun(first, bundled_script(), team.owner)
    assert outcomes(same)["script"] == ("cached", "cached (from run 1)")

    changed = rerun(first, bundled_script(offset=20), team.owner)
    assert outcomes(changed)["bundle"] == ("completed", "parameter offset 10→20")
    assert outcomes(changed)["script"] == ("completed", "input script_bundle changed")


def test_a_bundle_with_a_member_outside_its_folder_fails_the_step_naming_it(team):
    run = run_submit(version_of(team, bundled_script(hostile=True)), team.owner)

    run.refresh_from_db()
    step = run.steps.get(node_id="script")
    assert step.status == "failed"
    assert step.error.startswith("the script bundle is refused: member '../escape.py' points outside")


def test_a_zip_uploaded_as_a_dataset_feeds_the_script_its_helpers(team):
    bundle = make_archive({"helpers/__init__.py": "OFFSET = 100\n"})
    upload = Upload(name="helpers.zip", size=len(bundle), content=io.BytesIO(bundle))
    dataset, version = dataset_create(team.workspace, "Helpers", team.owner, upload)
    graph = (
        GraphBuilder()
        .node("load", "enter_data_manually", data="x\n1\n2\n")
        .node("bundle", "zip_dataset", dataset=dataset.pk, dataset_version=version.digest)
        .node("script", "execute_python_script", script=SCRIPT)
        .edge("load.dataset", "script.dataframe1")
        .edge("bundle.zip", "script.script_bundle")
        .build()
    )

    run = run_submit(version_of(team, graph), team.owner)

    run.refresh_from_db()
    assert run.status == "completed", run.error
    result = run.steps.get(node_id="script").outputs["result_dataset"]
    assert stored_table(result["digest"])["shifted"].tolist() == [101, 102]
    # The child process reported the columns of the table it wrote (observed schemas).
    assert result["columns"] == [{"name": "x", "type": "integer"}, {"name": "shifted", "type": "integer"}]

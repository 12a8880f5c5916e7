"""A workspace module runs on a real `celery worker`, is cached, and a new version misses the cache saying why."""

import textwrap

import pytest

from designer.gallery.publishing import module_publish
from modules.archives import make_archive
from runner.state import output_preview
from runner.submit import run_submit
from tests.gallery import scale_spec
from tests.graphs import GraphBuilder
from tests.runner.conftest import version_of
from tests.runner.test_caching import outcomes, rerun
from tests.runner.test_celery_worker import wait_for_end

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]

CODE = textwrap.dedent(
    """
    from helpers.numbers import FACTOR_NOTE

    def main(dataset, factor):
        dataset = dataset.copy()
        dataset["scaled"] = dataset.iloc[:, 0] * factor
        print(FACTOR_NOTE, factor)
        return dataset
    """
)
HELPERS = make_archive({"helpers/__init__.py": "", "helpers/numbers.py": "FACTOR_NOTE = 'scaled by'\n"})


def pipeline(version: str = "1") -> dict:
    return (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("scale", "scale", version=version, factor=3)
        .edge("load.dataset", "scale.dataset")
        .build()
    )


def test_a_workspace_module_runs_on_the_worker_caches_and_its_next_version_reruns(team, on_worker):
    module_publish(team.workspace, scale_spec(), CODE, team.contributor, HELPERS)

    first = wait_for_end(run_submit(version_of(team, pipeline()), team.owner), on_worker)

    assert first.status == "completed", first.error
    scale = first.steps.get(node_id="scale")
    assert scale.log.strip() == "scaled by 3.0"
    preview = output_preview(scale, "dataset")
    assert [column["name"] for column in preview["columns"]][-1] == "scaled"
    assert preview["rows"][0][-1] == pytest.approx(preview["rows"][0][0] * 3)

    again = wait_for_end(rerun(first, pipeline(), team.owner), on_worker)
    assert outcomes(again) == dict.fromkeys(["load", "scale"], ("cached", "cached (from run 1)"))

    module_publish(team.workspace, scale_spec(), CODE.replace("* factor", "* factor * 2"), team.contributor, HELPERS)
    upgraded = wait_for_end(rerun(first, pipeline(version="2"), team.owner), on_worker)

    assert outcomes(upgraded) == {"load": ("cached", "cached (from run 1)"), "scale": ("completed", "module 1→2")}
    doubled = output_preview(upgraded.steps.get(node_id="scale"), "dataset")["rows"][0]
    assert doubled[-1] == pytest.approx(doubled[0] * 6)

"""The store size and retention rules of a workspace (owner only), pinning a run, and released previews."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from designer.celery import app
from designer.pipelines.drafts import pipeline_create
from designer.workspaces.access import workspace_create
from runner.housekeeping import artifacts_collect
from runner.models import Artifact, Run, WorkspaceRetention
from runner.release import workspace_retention_set
from tests.graphs import load_and_split

pytestmark = pytest.mark.django_db(transaction=True)  # steps start when the submitting transaction commits

DEFAULTS = {"keep_days": 30, "keep_last": 5}


@pytest.fixture(autouse=True)
def inline_runner(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Tasks run inline (Celery's eager mode), artifacts in a fresh folder, the default rules."""
    settings.ARTIFACT_DIR = tmp_path / "artifacts"
    settings.RETENTION_DAYS, settings.RETENTION_KEEP_LAST = DEFAULTS["keep_days"], DEFAULTS["keep_last"]
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def run(client: Any, pipeline_id: int, document: dict[str, Any]) -> dict[str, Any]:
    """Save `document` as the draft and run it; the finished run's snapshot."""
    revision = client.get(f"/api/pipelines/{pipeline_id}/").json()["draft"]["revision"]
    assert client.put(f"/api/pipelines/{pipeline_id}/draft/", {"graph": document, "revision": revision}, format="json")
    response = client.post(f"/api/pipelines/{pipeline_id}/runs/", {}, format="json")
    assert response.status_code == 201, response.json()
    return client.get(f"/api/runs/{response.json()['id']}/").json()


def sizes(*snapshots: dict[str, Any]) -> int:
    steps = [step for snapshot in snapshots for step in snapshot["steps"]]
    digests = {ref["digest"] for step in steps for ref in step["outputs"].values()}
    return sum(Artifact.objects.filter(digest__in=digests).values_list("size", flat=True))


def storage(client: Any, workspace: Any) -> Any:
    return client.get(f"/api/workspaces/{workspace.pk}/storage/")


def test_the_owner_sees_the_store_size_and_what_the_rules_would_free(team, client_as):
    owner = client_as(team.owner)
    pipeline = pipeline_create(team.workspace, "Iris", team.owner, graph=load_and_split(0.8))
    first, second = run(owner, pipeline.pk, load_and_split(0.8)), run(owner, pipeline.pk, load_and_split(0.6))
    workspace_retention_set(team.workspace, keep_days=0, keep_last=1, user=team.owner)

    response = storage(owner, team.workspace)

    assert response.status_code == 200
    body = response.json()
    assert body["artifacts"] == 5  # the dataset, and two splits of two tables each
    assert body["bytes"] == sizes(first, second)
    # Run 1's split is outside the rules; its load step was reused by run 2, which is kept.
    first_split = next(step for step in first["steps"] if step["node"] == "split")
    assert body["releasable"] == {"runs": 1, "steps": 1, "artifacts": 2, "bytes": sizes({"steps": [first_split]})}
    assert body["retention"] == {
        "rules": {"keep_days": 0, "keep_last": 1},
        "defaults": DEFAULTS,
        "override": {"keep_days": 0, "keep_last": 1},
    }

    artifacts_collect()

    after = storage(owner, team.workspace).json()
    assert after["artifacts"] == 3 and after["releasable"]["steps"] == 0
    snapshot = owner.get(f"/api/runs/{first['id']}/").json()
    assert next(step for step in snapshot["steps"] if step["node"] == "split")["outputs_released_at"]


def test_bytes_another_workspace_still_refers_to_are_not_counted_as_freed(team, client_as):
    owner = client_as(team.owner)
    pipeline = pipeline_create(team.workspace, "Iris", team.owner, graph=load_and_split(0.8))
    run(owner, pipeline.pk, load_and_split(0.8))
    elsewhere = workspace_create("Elsewhere", team.owner)
    same = pipeline_create(elsewhere, "Same", team.owner, graph=load_and_split(0.8))
    run(owner, same.pk, load_and_split(0.8))  # the same bytes, referred to from another workspace
    workspace_retention_set(team.workspace, keep_days=0, keep_last=0, user=team.owner)

    releasable = storage(owner, team.workspace).json()["releasable"]

    assert (releasable["steps"], releasable["artifacts"], releasable["bytes"]) == (2, 0, 0)


def test_only_the_owner_sees_the_store_size(team, client_as):
    assert storage(client_as(team.contributor), team.workspace).status_code == 403
    response = storage(client_as(team.reader), team.workspace)
    assert response.status_code == 403 and "owner" in response.json()["detail"]
    assert storage(client_as(team.outsider), team.workspace).status_code == 404


def test_the_owner_overrides_the_rules_and_null_restores_a_default(team, client_as):
    owner, url = client_as(team.owner), f"/api/workspaces/{team.workspace.pk}/retention/"
    assert owner.get(url).json() == {"rules": DEFAULTS, "defaults": DEFAULTS, "override": dict.fromkeys(DEFAULTS)}

    response = owner.put(url, {"keep_days": 7, "keep_last": None}, format="json")

    assert response.status_code == 200
    assert response.json()["rules"] == {"keep_days": 7, "keep_last": 5}
    assert response.json()["override"] == {"keep_days": 7, "keep_last": None}
    saved = WorkspaceRetention.objects.get(workspace=team.workspace)
    assert (saved.keep_days, saved.keep_last, saved.updated_by) == (7, None, team.owner)
    assert owner.put(url, {}, format="json").json()["rules"] == DEFAULTS


def test_a_bad_override_is_refused_naming_the_field(team, client_as):
    url = f"/api/workspaces/{team.workspace.pk}/retention/"

    response = client_as(team.owner).put(url, {"keep_days": -1, "keep_last": "many"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"keep_days", "keep_last"}
    assert not WorkspaceRetention.objects.exists()


def test_only_the_owner_changes_the_rules(team, client_as):
    url, body = f"/api/workspaces/{team.workspace.pk}/retention/", {"keep_days": 1}
    assert client_as(team.contributor).put(url, body, format="json").status_code == 403
    assert client_as(team.reader).get(url).status_code == 403
    assert client_as(team.outsider).put(url, body, format="json").status_code == 404
    assert not WorkspaceRetention.objects.exists()


def test_a_contributor_pins_a_run_and_a_reader_cannot(team, client_as):
    contributor = client_as(team.contributor)
    pipeline = pipeline_create(team.workspace, "Iris", team.owner, graph=load_and_split(0.8))
    snapshot = run(contributor, pipeline.pk, load_and_split(0.8))
    url = f"/api/runs/{snapshot['id']}/keep/"
    assert snapshot["keep"] is False

    response = contributor.put(url, {"keep": True}, format="json")

    assert response.status_code == 200 and response.json()["keep"] is True
    assert Run.objects.get(pk=snapshot["id"]).keep is True
    assert client_as(team.reader).put(url, {"keep": False}, format="json").status_code == 403
    assert client_as(team.outsider).put(url, {"keep": False}, format="json").status_code == 404
    assert contributor.put(url, {}, format="json").status_code == 400
    assert Run.objects.get(pk=snapshot["id"]).keep is True


def test_a_released_output_previews_as_a_message(team, client_as, settings):
    settings.RETENTION_DAYS, settings.RETENTION_KEEP_LAST = 0, 0
    reader = client_as(team.reader)
    pipeline = pipeline_create(team.workspace, "Iris", team.owner, graph=load_and_split(0.8))
    snapshot = run(client_as(team.owner), pipeline.pk, load_and_split(0.8))
    artifacts_collect()

    response = reader.get(f"/api/runs/{snapshot['id']}/steps/split/outputs/dataset1/preview/")

    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "released" and body["released_at"]
    assert body["message"].startswith("outputs removed by the retention rules on ")
    assert body["message"].endswith("; re-run to regenerate")
    assert reader.get(f"/api/runs/{snapshot['id']}/steps/split/log/").status_code == 200

"""The workspace gallery: publishing modules and versions, statuses, the default, and who may do what."""

import io

import pytest

from designer.gallery.models import ModuleVersion
from modules.archives import make_archive
from tests.gallery import SCALE_CODE, publish_scale, scale_spec
from tests.graphs import GraphBuilder


def modules_url(team, suffix=""):
    return f"/api/workspaces/{team.workspace.pk}/modules/{suffix}"


def publish(client, team, spec=None, code=SCALE_CODE, **extra):
    body = {"spec": spec or scale_spec(), "code": code, **extra}
    return client.post(modules_url(team), body, format="json")


def test_a_contributor_publishes_a_module_and_members_see_it_in_their_catalog(team, client_as):
    response = publish(client_as(team.contributor), team)

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["display_name"], body["default_version"]) == ("scale", "Scale", "1")
    assert [(v["version"], v["status"], v["published_by"]) for v in body["versions"]] == [("1", "active", "conrad")]
    catalog = client_as(team.reader).get(f"/api/catalog/?workspace={team.workspace.pk}").json()
    entry = next(spec for spec in catalog["modules"] if spec["name"] == "scale")
    assert entry["source"] == "workspace" and entry["status"] == "active" and entry["newer_version"] is None
    assert entry["parameters"][0]["default"] == 2.0
    builtin = next(spec for spec in catalog["modules"] if spec["name"] == "split_data")
    assert builtin["source"] == "builtin"
    assert "scale" not in {spec["name"] for spec in client_as(team.reader).get("/api/catalog/").json()["modules"]}


def test_readers_and_outsiders_cannot_publish_and_outsiders_see_nothing(team, client_as):
    assert publish(client_as(team.reader), team).status_code == 403
    assert publish(client_as(team.outsider), team).status_code == 404
    publish_scale(team)
    assert client_as(team.outsider).get(modules_url(team)).status_code == 404
    assert client_as(team.outsider).get(f"/api/catalog/?workspace={team.workspace.pk}").status_code == 404
    assert client_as(team.reader).get(modules_url(team)).json()[0]["name"] == "scale"


def test_a_spec_that_does_not_fit_is_refused_naming_the_field_and_nothing_is_saved(team, client_as):
    spec = scale_spec(inputs=[{"name": "dataset", "type": "spreadsheet"}])
    response = publish(client_as(team.contributor), team, spec)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("the module is refused: inputs[0].type: unknown port type")
    bad_code = publish(client_as(team.contributor), team, code="def main(dataset):\n    pass\n")
    assert (
        bad_code.json()["detail"]
        == "the module is refused: code: main() must take argument(s) factor (its ports and parameters)"
    )
    assert not ModuleVersion.objects.exists()


def test_a_built_in_name_is_refused(team, client_as):
    response = publish(client_as(team.contributor), team, scale_spec(name="split_data"))
    assert response.status_code == 400
    assert "'split_data' is the name of a built-in module" in response.json()["detail"]


def test_a_new_version_leaves_the_old_one_exactly_as_it_was(team, client_as):
    first = publish_scale(team)
    before = ModuleVersion.objects.values().get(pk=first.pk)

    response = publish(client_as(team.contributor), team, scale_spec(description="Faster."), code=SCALE_CODE + "\n")

    assert response.status_code == 201
    assert [v["version"] for v in response.json()["versions"]] == ["1", "2"]
    assert response.json()["default_version"] == "2" and response.json()["description"] == "Faster."
    assert ModuleVersion.objects.values().get(pk=first.pk) == before
    again = publish(client_as(team.contributor), team, scale_spec(version="2"))
    assert again.status_code == 409 and "versions never change once published" in again.json()["detail"]


def test_statuses_and_the_default_are_changed_by_contributors_not_readers(team, client_as):
    publish_scale(team)
    publish_scale(team, description="v2")
    url = modules_url(team, "scale/versions/1/")
    assert client_as(team.reader).patch(url, {"status": "deprecated"}, format="json").status_code == 403

    deprecated = client_as(team.contributor).patch(url, {"status": "deprecated"}, format="json")
    assert deprecated.status_code == 200
    assert deprecated.json()["versions"][0]["status"] == "deprecated"
    catalog = client_as(team.reader).get(f"/api/catalog/?workspace={team.workspace.pk}").json()
    first = next(s for s in catalog["modules"] if s["name"] == "scale" and s["version"] == "1")
    assert (first["status"], first["newer_version"], first["default_version"]) == ("deprecated", "2", "2")

    reset = client_as(team.owner).patch(modules_url(team, "scale/"), {"default_version": "1"}, format="json")
    assert reset.json()["default_version"] == "1"
    disabled = client_as(team.owner).patch(url, {"status": "disabled", "reason": "wrong factor"}, format="json")
    assert disabled.json()["default_version"] == "2", "a disabled version gives up being the default"
    refused = client_as(team.owner).patch(modules_url(team, "scale/"), {"default_version": "1"}, format="json")
    assert refused.status_code == 400 and "is disabled" in refused.json()["detail"]


def test_a_pipeline_using_a_disabled_version_has_a_problem_saying_who_and_why(team, client_as):
    version = publish_scale(team)
    graph = GraphBuilder().node("data", "sample_dataset", dataset="iris").node("scale", "scale").build()
    graph["edges"] = GraphBuilder().edge("data.dataset", "scale.dataset").edges
    created = client_as(team.contributor).post(
        f"/api/workspaces/{team.workspace.pk}/pipelines/", {"name": "p", "graph": graph}, format="json"
    )
    assert created.json()["draft"]["problems"] == []

    client_as(team.owner).patch(
        modules_url(team, "scale/versions/1/"), {"status": "disabled", "reason": "it drops rows"}, format="json"
    )

    pipeline_id = created.json()["id"]
    problems = client_as(team.reader).get(f"/api/pipelines/{pipeline_id}/").json()["draft"]["problems"]
    assert problems == [
        {
            "code": "disabled_module",
            "message": "Scale version 1 is disabled (by olivia): it drops rows",
            "node": "scale",
            "port": None,
            "parameter": None,
        }
    ]
    run = client_as(team.contributor).post(f"/api/pipelines/{pipeline_id}/runs/", {}, format="json")
    assert run.status_code == 400 and run.json()["problems"][0]["code"] == "disabled_module"
    assert version.pk


def test_a_package_upload_publishes_its_spec_code_and_helpers(team, client_as, settings, tmp_path):
    settings.ARTIFACT_DIR = tmp_path / "artifacts"
    package = make_archive(
        {
            "scale/module.json": '{"name": "scale", "display_name": "Scale", "category": "Mine", "code": "run.py",'
            ' "inputs": [{"name": "dataset", "type": "table"}], "outputs": [{"name": "dataset", "type": "table"}]}',
            "scale/run.py": "from helpers import twice\n\ndef main(dataset):\n    return twice(dataset)\n",
            "scale/helpers.py": "def twice(frame):\n    return frame * 2\n",
        }
    )
    upload = io.BytesIO(package)
    upload.name = "scale.zip"

    response = client_as(team.contributor).post(modules_url(team, "upload/"), {"package": upload}, format="multipart")

    assert response.status_code == 201, response.json()
    assert response.json()["versions"][0]["has_bundle"] is True
    detail = client_as(team.reader).get(modules_url(team, "scale/")).json()
    assert detail["versions"][0]["code"].startswith("from helpers import twice")
    assert "code" not in detail["versions"][0]["spec"]


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ({"../module.json": "{}"}, "the archive is refused: member '../module.json' points outside"),
        ({"main.py": "def main():\n    pass\n"}, "the archive is refused: the package has no module.json"),
        ({"module.json": '{"name": "x", "code": "missing.py"}'}, "code names 'missing.py'"),
    ],
)
def test_a_hostile_or_broken_package_is_refused_naming_the_member(team, client_as, files, says):
    upload = io.BytesIO(make_archive(files))
    upload.name = "package.zip"
    response = client_as(team.contributor).post(modules_url(team, "upload/"), {"package": upload}, format="multipart")
    assert response.status_code == 400
    assert says in response.json()["detail"]


def test_an_upload_over_the_size_limit_is_refused_with_413(team, client_as, settings):
    settings.MODULE_PACKAGE_MAX_BYTES = 100
    upload = io.BytesIO(b"x" * 101)
    upload.name = "big.zip"
    response = client_as(team.contributor).post(modules_url(team, "upload/"), {"package": upload}, format="multipart")
    assert response.status_code == 413
    assert response.json()["detail"] == "big.zip is 101 bytes; uploads may be at most 100 bytes"


def test_the_upgrade_check_lists_changes_and_refusals(team, client_as):
    publish_scale(team)
    publish_scale(team, parameters=[{"name": "factor", "kind": "float", "default": 1, "maximum": 1}])
    body = {
        "module": "scale",
        "current_version": "1",
        "target_version": "2",
        "parameters": {"factor": 3},
        "connected_inputs": {"dataset": "table"},
        "connected_outputs": {"dataset": ["table"]},
    }
    url = f"/api/workspaces/{team.workspace.pk}/upgrade-check/"

    refused = client_as(team.reader).post(url, body, format="json").json()
    assert refused["allowed"] is False
    assert refused["refusals"] == ["parameter 'factor' = 3 no longer fits: must be at most 1, got 3.0"]

    allowed = client_as(team.reader).post(url, body | {"parameters": {"factor": 0.5}}, format="json").json()
    assert allowed == {"allowed": True, "changes": [], "refusals": [], "parameters": {"factor": 0.5}}
    missing = client_as(team.reader).post(url, body | {"target_version": "9"}, format="json")
    assert missing.status_code == 404 and "has no version 9" in missing.json()["detail"]

"""A group saved to the gallery as a module of kind "pipeline": versions, names and who may do what."""

import pytest

from designer.gallery.models import ModuleVersion
from tests.gallery import publish_scale
from tests.group_graphs import prep_group

pytestmark = pytest.mark.django_db


def url(team):
    return f"/api/workspaces/{team.workspace.pk}/pipeline-modules/"


def inner_graph():
    return prep_group()["nodes"][1]["group"]


def save(client, team, name="iris_prep", group=None, **extra):
    return client.post(url(team), {"name": name, "group": group or inner_graph(), **extra}, format="json")


def test_a_contributor_saves_a_group_and_each_save_is_a_new_pinned_version(team, client_as):
    contributor = client_as(team.contributor)

    first = save(contributor, team, display_name="Iris prep")
    second = save(contributor, team)

    assert first.status_code == 201 and first.json() == {"name": "iris_prep", "version": "1"}
    assert second.json() == {"name": "iris_prep", "version": "2"}
    [listed] = client_as(team.reader).get(url(team)).json()
    assert (listed["name"], listed["display_name"], listed["default_version"]) == ("iris_prep", "Iris prep", "2")
    assert [v["version"] for v in listed["versions"]] == ["1", "2"]
    assert listed["versions"][0]["graph"] == inner_graph()
    stored = ModuleVersion.objects.get(module__name="iris_prep", version="1")
    assert stored.spec["kind"] == "pipeline" and stored.code == ""


def test_a_pipeline_module_is_in_the_gallery_list_but_not_in_the_catalog_of_runnable_modules(team, client_as):
    save(client_as(team.contributor), team)

    gallery = client_as(team.reader).get(f"/api/workspaces/{team.workspace.pk}/modules/").json()
    catalog = client_as(team.reader).get(f"/api/catalog/?workspace={team.workspace.pk}").json()

    assert [module["name"] for module in gallery] == ["iris_prep"]
    assert "iris_prep" not in {spec["name"] for spec in catalog["modules"]}


def test_a_disabled_version_leaves_the_palette_list(team, client_as):
    save(client_as(team.contributor), team)
    save(client_as(team.contributor), team)
    modules = f"/api/workspaces/{team.workspace.pk}/modules/iris_prep/versions/1/"
    assert client_as(team.owner).patch(modules, {"status": "disabled"}, format="json").status_code == 200

    [listed] = client_as(team.reader).get(url(team)).json()

    assert [v["version"] for v in listed["versions"]] == ["2"]


def test_refusals_name_what_is_wrong(team, client_as):
    contributor = client_as(team.contributor)
    publish_scale(team)
    nested = {**inner_graph(), "nodes": [{"id": "inner", "group": inner_graph()}]}

    assert "built-in" in save(contributor, team, name="split_data").json()["detail"]
    assert "Python module" in save(contributor, team, name="scale").json()["detail"]
    assert "cannot be nested" in save(contributor, team, group=nested).json()["detail"]
    assert "outputs" in save(contributor, team, group={"nodes": [], "edges": [], "inputs": []}).json()["detail"]
    assert save(contributor, team, name="Bad Name").status_code == 400


def test_readers_and_outsiders_cannot_save(team, client_as):
    assert save(client_as(team.reader), team).status_code == 403
    assert save(client_as(team.outsider), team).status_code == 404

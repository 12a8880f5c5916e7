"""Workspaces and members: owners manage membership; nobody else changes it."""

from designer.workspaces.models import Membership


def test_a_user_lists_only_their_workspaces_with_their_role(team, client_as):
    response = client_as(team.reader).get("/api/workspaces/")
    assert response.status_code == 200
    assert response.json() == [{"id": team.workspace.pk, "name": "Research", "slug": "research", "role": "reader"}]
    assert client_as(team.outsider).get("/api/workspaces/").json() == []


def test_creating_a_workspace_makes_the_creator_its_owner(team, client_as):
    response = client_as(team.outsider).post("/api/workspaces/", {"name": "Oscar's lab"}, format="json")
    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    assert Membership.objects.get(workspace_id=response.json()["id"]).user == team.outsider
    assert response.json()["slug"] == "oscars-lab"
    again = client_as(team.outsider).post("/api/workspaces/", {"name": "Oscar's lab"}, format="json")
    assert again.json()["slug"] == "oscars-lab-2"  # compute target queues are named after it: unique


def test_the_owner_adds_a_member_by_username_and_changes_their_role(team, client_as):
    owner = client_as(team.owner)
    url = f"/api/workspaces/{team.workspace.pk}/members/"
    response = owner.post(url, {"username": "oscar", "role": "reader"}, format="json")
    assert response.status_code == 201
    assert response.json() == {"username": "oscar", "role": "reader"}
    response = owner.patch(f"{url}oscar/", {"role": "contributor"}, format="json")
    assert response.status_code == 200
    assert Membership.objects.get(workspace=team.workspace, user=team.outsider).role == "contributor"
    assert owner.delete(f"{url}oscar/").status_code == 204
    assert not Membership.objects.filter(workspace=team.workspace, user=team.outsider).exists()


def test_adding_an_unknown_user_names_them(team, client_as):
    url = f"/api/workspaces/{team.workspace.pk}/members/"
    response = client_as(team.owner).post(url, {"username": "nobody", "role": "reader"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"username": ["no user named 'nobody'"]}


def test_the_last_owner_cannot_step_down(team, client_as):
    url = f"/api/workspaces/{team.workspace.pk}/members/olivia/"
    response = client_as(team.owner).patch(url, {"role": "reader"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "a workspace needs at least one owner"}
    assert Membership.objects.get(workspace=team.workspace, user=team.owner).role == "owner"


def test_members_see_the_member_list_but_only_owners_change_it(team, client_as):
    url = f"/api/workspaces/{team.workspace.pk}/members/"
    listing = client_as(team.reader).get(url)
    assert listing.status_code == 200
    assert [m["username"] for m in listing.json()] == ["conrad", "olivia", "rita"]
    for persona in (team.contributor, team.reader):
        response = client_as(persona).post(url, {"username": "oscar", "role": "owner"}, format="json")
        assert response.status_code == 403
    assert client_as(team.outsider).get(url).status_code == 404
    assert not Membership.objects.filter(user=team.outsider).exists()


def test_anonymous_requests_are_refused():
    from rest_framework.test import APIClient

    assert APIClient().get("/api/workspaces/").status_code == 403

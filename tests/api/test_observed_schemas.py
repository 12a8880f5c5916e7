"""Observed schemas: once an SQL step has run, the designer offers its output's columns downstream."""

from typing import Any

import pytest

from designer.pipelines.drafts import pipeline_create
from tests.graphs import GraphBuilder

# Steps start when the submitting transaction commits; they run inline (tests/api/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("inline_runner")]

SQL = "select name, born * 2 as doubled from t1"


def sql_then_select(sql: str = SQL, columns: list[str] | None = None) -> dict[str, Any]:
    return (
        GraphBuilder()
        .node("people", "enter_data_manually", data="name,born\nAda,1815\nAlan,1912\n")
        .node("sql", "apply_sql_transformation", sql=sql)
        .node("columns", "select_columns", columns=columns or ["name"])
        .edge("people.dataset", "sql.t1")
        .edge("sql.dataset", "columns.dataset")
        .build()
    )


def draft_of(client: Any, pipeline: Any) -> dict[str, Any]:
    return client.get(f"/api/pipelines/{pipeline.pk}/").json()["draft"]


def save(client: Any, pipeline: Any, graph: dict[str, Any]) -> dict[str, Any]:
    revision = draft_of(client, pipeline)["revision"]
    response = client.put(f"/api/pipelines/{pipeline.pk}/draft/", {"graph": graph, "revision": revision}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_after_one_run_the_sql_outputs_columns_reach_the_column_picker_downstream(team, client_as):
    pipeline = pipeline_create(team.workspace, "P", team.owner, sql_then_select())
    client = client_as(team.owner)
    assert draft_of(client, pipeline)["schemas"]["columns"]["inputs"]["dataset"] is None  # SQL: unknown

    run = client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")
    assert run.status_code == 201, run.json()

    arriving = draft_of(client_as(team.reader), pipeline)["schemas"]["columns"]["inputs"]["dataset"]
    assert arriving == {
        "columns": [{"name": "name", "type": "string"}, {"name": "doubled", "type": "integer"}],
        "complete": True,
        "observed": {"run": 1, "current": True},
    }


def test_a_column_the_observed_output_lacks_is_a_problem_while_the_cache_key_matches(team, client_as):
    pipeline = pipeline_create(team.workspace, "P", team.owner, sql_then_select())
    client = client_as(team.owner)
    client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")

    answer = save(client, pipeline, sql_then_select(columns=["born"]))

    assert [(p["code"], p["node"], p["message"]) for p in answer["problems"]] == [
        ("unknown_column", "columns", "Columns: input 'dataset' has no column(s) born; it has: name, doubled")
    ]


def test_after_an_edit_the_columns_are_those_of_the_last_run_and_no_longer_checked(team, client_as):
    pipeline = pipeline_create(team.workspace, "P", team.owner, sql_then_select())
    client = client_as(team.owner)
    client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")

    answer = save(client, pipeline, sql_then_select(sql="select name, born from t1", columns=["born"]))

    arriving = answer["schemas"]["columns"]["inputs"]["dataset"]
    assert [column["name"] for column in arriving["columns"]] == ["name", "doubled"]
    assert (arriving["complete"], arriving["observed"]) == (False, {"run": 1, "current": False})
    assert answer["problems"] == []  # the edited query may well give `born`: running will tell


def test_an_edit_upstream_makes_the_observation_no_longer_current(team, client_as):
    pipeline = pipeline_create(team.workspace, "P", team.owner, sql_then_select())
    client = client_as(team.owner)
    client.post(f"/api/pipelines/{pipeline.pk}/runs/", {}, format="json")
    graph = sql_then_select()
    graph["nodes"][0]["parameters"]["data"] = "name,born\nGrace,1906\n"

    answer = save(client, pipeline, graph)

    assert answer["schemas"]["sql"]["outputs"]["dataset"]["observed"] == {"run": 1, "current": False}

"""Propagation with observed schemas: columns seen in a run fill in what no module can state."""

import pandas as pd
import pytest

from designer.pipelines.graph import propagate_schemas, read_graph, validate
from modules.registry import build_registry
from modules.schema import MAX_OBSERVED_COLUMNS, Column, Observation, TableSchema, observed_columns
from tests.graphs import GraphBuilder

SEEN = [{"name": "name", "type": "string"}, {"name": "doubled", "type": "integer"}]


@pytest.fixture(scope="module")
def registry():
    return build_registry()


def sql_then_pick(columns: list[str]):
    return read_graph(
        GraphBuilder()
        .node("iris", "sample_dataset")
        .node("sql", "apply_sql_transformation", sql="select 1 as x")
        .node("pick", "select_columns", columns=columns)
        .node("split", "split_data")
        .edge("iris.dataset", "sql.t1")
        .edge("sql.dataset", "pick.dataset")
        .edge("pick.dataset", "split.dataset")
        .build()
    )


def seen_in(run: int, current: bool) -> dict:
    return {"sql": {"dataset": TableSchema.observed_in(SEEN, Observation(run, current))}}


def test_a_step_records_the_columns_of_a_table_it_writes_and_nothing_for_other_values():
    frame = pd.DataFrame({"name": ["Ada"], "born": [1815], "score": [9.5]})

    assert observed_columns(frame) == [
        {"name": "name", "type": "string"},
        {"name": "born", "type": "integer"},
        {"name": "score", "type": "number"},
    ]
    assert observed_columns(b"PK...") is None
    assert observed_columns(pd.DataFrame(columns=[f"c{n}" for n in range(MAX_OBSERVED_COLUMNS + 1)])) is None


def test_without_observations_an_sql_output_is_unknown_downstream(registry):
    inputs, outputs = propagate_schemas(sql_then_pick(["name"]), registry)

    assert outputs["sql"]["dataset"] is None and inputs["pick"]["dataset"] is None


def test_an_observed_schema_fills_the_unknown_output_and_flows_on_marked_with_its_run(registry):
    inputs, outputs = propagate_schemas(sql_then_pick(["name"]), registry, seen_in(12, True))

    arriving = inputs["pick"]["dataset"]
    assert arriving is not None and arriving.names() == ["name", "doubled"]
    assert arriving.to_json()["observed"] == {"run": 12, "current": True}
    split = outputs["split"]["dataset1"]
    assert split is not None and split.names() == ["name"] and split.observed == Observation(12, True)


def test_a_schema_the_module_states_wins_over_an_observation(registry):
    graph = sql_then_pick(["name"])
    stale = {"iris": {"dataset": TableSchema((Column("old", "string"),), observed=Observation(3, False))}}

    _, outputs = propagate_schemas(graph, registry, stale)

    iris = outputs["iris"]["dataset"]
    assert iris is not None and "target" in iris.names() and iris.observed is None


def test_a_current_observation_is_checked_by_validation_and_a_stale_one_is_not(registry):
    graph = sql_then_pick(["name", "born"])

    [problem] = validate(graph, registry, observed=seen_in(12, True))
    stale_problems = validate(graph, registry, observed=seen_in(11, False))

    assert (problem.code, problem.node, problem.parameter) == ("unknown_column", "pick", "columns")
    assert "has no column(s) born; it has: name, doubled" in problem.message
    assert stale_problems == []

"""Design-time schemas: the columns each port will carry, known while editing, and the problems they reveal."""

import pytest

from designer.pipelines.graph import propagate_schemas, read_graph, schemas_json, validate
from modules.registry import build_registry
from tests.graphs import GraphBuilder

IRIS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)", "target"]


@pytest.fixture(scope="module")
def registry():
    return build_registry()


def columns_of(builder, registry, node, port):
    _, outputs = propagate_schemas(read_graph(builder.build()), registry)
    schema = outputs[node][port]
    return None if schema is None else (schema.names(), schema.complete)


def test_columns_flow_from_a_sample_dataset_through_select_and_split(registry):
    graph = (
        GraphBuilder()
        .node("iris", "sample_dataset")
        .node("pick", "select_columns", columns=["target", "petal width (cm)"])
        .node("split", "split_data")
        .edge("iris.dataset", "pick.dataset")
        .edge("pick.dataset", "split.dataset")
    )
    assert columns_of(graph, registry, "iris", "dataset") == (IRIS, True)
    assert columns_of(graph, registry, "split", "dataset2") == (["target", "petal width (cm)"], True)


def test_a_misspelled_column_is_a_problem_before_anything_runs(registry):
    graph = GraphBuilder().node("iris", "sample_dataset").node("pick", "select_columns", columns=["target", "colour"])
    [problem] = validate(read_graph(graph.edge("iris.dataset", "pick.dataset").build()), registry)
    assert (problem.code, problem.node, problem.parameter) == ("unknown_column", "pick", "columns")
    assert "input 'dataset' has no column(s) colour; it has: sepal length (cm)" in problem.message


def test_join_keys_are_checked_against_their_own_side(registry):
    left = "id,name\n1,ada\n"
    right = "person,total\n1,3.5\n"
    graph = (
        GraphBuilder()
        .node("people", "enter_data_manually", data=left)
        .node("orders", "enter_data_manually", data=right)
        .node("join", "join_data", left_keys=["id"], right_keys=["id"])
        .edge("people.dataset", "join.left")
        .edge("orders.dataset", "join.right")
    )
    [problem] = validate(read_graph(graph.build()), registry)
    assert (problem.code, problem.parameter) == ("unknown_column", "right_keys")
    graph.nodes[2]["parameters"]["right_keys"] = ["person"]
    assert validate(read_graph(graph.build()), registry) == []
    assert columns_of(graph, registry, "join", "dataset") == (["id", "name", "person", "total"], True)


def test_where_columns_depend_on_the_data_nothing_is_claimed(registry):
    graph = (
        GraphBuilder()
        .node("iris", "sample_dataset")
        .node("sql", "apply_sql_transformation", sql="select 1 as one from t1")
        .node("pick", "select_columns", columns=["one"])
        .edge("iris.dataset", "sql.t1")
        .edge("sql.dataset", "pick.dataset")
    )
    assert columns_of(graph, registry, "sql", "dataset") is None
    assert validate(read_graph(graph.build()), registry) == []


def test_scored_columns_are_known_in_part(registry):
    graph = (
        GraphBuilder()
        .node("iris", "sample_dataset")
        .node("algorithm", "multiclass_logistic_regression")
        .node("train", "train_model", label_column="target")
        .node("score", "score_model")
        .node("pick", "select_columns", columns=["Scored Probabilities_0"])
        .edge("iris.dataset", "train.dataset")
        .edge("algorithm.model", "train.untrained_model")
        .edge("train.model", "score.model")
        .edge("iris.dataset", "score.dataset")
        .edge("score.dataset", "pick.dataset")
    )
    assert columns_of(graph, registry, "score", "dataset") == ([*IRIS, "Scored Labels"], False)
    assert validate(read_graph(graph.build()), registry) == [], "an incomplete schema never fails a column"


def test_the_canvas_gets_every_nodes_input_and_output_columns(registry):
    graph = GraphBuilder().node("iris", "sample_dataset").node("norm", "normalize_data", columns=["target"])
    schemas = schemas_json(read_graph(graph.edge("iris.dataset", "norm.dataset").build()), registry)
    assert schemas["norm"]["inputs"]["dataset"]["columns"][4] == {"name": "target", "type": "integer"}
    assert schemas["norm"]["outputs"]["dataset"]["columns"][4] == {"name": "target", "type": "number"}
    assert schemas["norm"]["outputs"]["transformation"] is None
    assert schemas["iris"]["inputs"] == {}

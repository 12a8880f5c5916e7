"""validate(): one test per problem code, on graphs built with the real registry."""

import pytest

from designer.pipelines.graph import read_graph, validate
from modules.registry import build_registry
from tests.graphs import GraphBuilder, iris_split_graph


@pytest.fixture(scope="module")
def registry():
    return build_registry(["tests.fixture_modules"])


def problems_of(document, registry):
    return [(p.code, p.node, p.port or p.parameter) for p in validate(read_graph(document), registry)]


def test_a_complete_pipeline_has_no_problems(registry):
    assert problems_of(iris_split_graph(), registry) == []


def test_a_cycle_is_reported_on_every_node_in_it(registry):
    graph = (
        GraphBuilder()
        .node("a", "pass_through")
        .node("b", "pass_through")
        .edge("a.dataset", "b.dataset")
        .edge("b.dataset", "a.dataset")
        .build()
    )
    assert sorted(problems_of(graph, registry)) == [("cycle", "a", None), ("cycle", "b", None)]


def test_a_node_feeding_itself_is_a_cycle(registry):
    graph = GraphBuilder().node("a", "pass_through").edge("a.dataset", "a.dataset").build()
    assert problems_of(graph, registry) == [("cycle", "a", None)]


def test_a_text_output_cannot_feed_a_table_input(registry):
    graph = (
        GraphBuilder()
        .node("load", "sample_dataset")
        .node("describe", "describe")
        .node("columns", "select_columns", columns=["target"])
        .edge("load.dataset", "describe.dataset")
        .edge("describe.summary", "columns.dataset")
        .build()
    )
    [problem] = validate(read_graph(graph), registry)
    assert (problem.code, problem.node, problem.port) == ("type_mismatch", "columns", "dataset")
    assert "takes table, but describe.summary gives text" in problem.message


def test_a_required_input_left_unconnected(registry):
    graph = GraphBuilder().node("columns", "select_columns", columns=["a"]).build()
    assert problems_of(graph, registry) == [("missing_input", "columns", "dataset")]


def test_an_optional_input_may_stay_unconnected(registry):
    assert problems_of(GraphBuilder().node("f", "fail").build(), registry) == []


def test_two_edges_into_one_input(registry):
    graph = (
        GraphBuilder()
        .node("a", "sample_dataset")
        .node("b", "sample_dataset")
        .node("c", "pass_through")
        .edge("a.dataset", "c.dataset")
        .edge("b.dataset", "c.dataset")
        .build()
    )
    assert problems_of(graph, registry) == [("duplicate_input", "c", "dataset")]


def test_edges_naming_missing_nodes_and_ports(registry):
    graph = (
        GraphBuilder()
        .node("a", "sample_dataset")
        .node("b", "pass_through")
        .edge("a.nope", "b.dataset")
        .edge("a.dataset", "b.wrong")
        .edge("ghost.dataset", "b.dataset")
        .build()
    )
    assert problems_of(graph, registry) == [
        ("unknown_port", "a", "nope"),
        ("unknown_port", "b", "wrong"),
        ("unknown_node", None, None),
    ]


def test_unknown_module_and_unknown_version(registry):
    graph = GraphBuilder().node("a", "no_such_module").node("b", "sample_dataset", version="9").build()
    problems = validate(read_graph(graph), registry)
    assert [(p.code, p.node) for p in problems] == [("unknown_module", "a"), ("unknown_module", "b")]
    assert "module 'sample_dataset' has no version 9 (known: 1)" in problems[1].message


def test_duplicate_node_ids(registry):
    graph = GraphBuilder().node("a", "sample_dataset").node("a", "sample_dataset").build()
    assert ("duplicate_node", "a", None) in problems_of(graph, registry)


@pytest.mark.parametrize(
    ("parameters", "code", "message"),
    [
        ({"fraction": 1.5}, "invalid_parameter", "must be at most 1.0"),
        ({"fraction": "lots"}, "invalid_parameter", "must be a number"),
        ({"seed": 1.5}, "invalid_parameter", "must be a whole number"),
        ({"seed": -1}, "invalid_parameter", "must be at least 0"),
        ({"stratify_column": 3}, "invalid_parameter", "must be text"),
        ({"shuffle": True}, "unknown_parameter", "has no parameter 'shuffle'"),
    ],
)
def test_parameters_are_checked_against_the_spec(registry, parameters, code, message):
    graph = GraphBuilder().node("a", "sample_dataset").node("s", "split_data", **parameters)
    problems = validate(read_graph(graph.edge("a.dataset", "s.dataset").build()), registry)
    [problem] = problems
    assert (problem.code, problem.node) == (code, "s")
    assert message in problem.message


def test_a_choice_outside_its_choices(registry):
    [problem] = validate(read_graph(GraphBuilder().node("a", "sample_dataset", dataset="mnist").build()), registry)
    assert (problem.code, problem.parameter) == ("invalid_parameter", "dataset")
    assert "must be one of iris, diabetes" in problem.message


def test_a_required_parameter_left_empty(registry):
    graph = GraphBuilder().node("a", "sample_dataset").node("c", "select_columns").edge("a.dataset", "c.dataset")
    [problem] = validate(read_graph(graph.build()), registry)
    assert (problem.code, problem.node, problem.parameter) == ("missing_parameter", "c", "columns")

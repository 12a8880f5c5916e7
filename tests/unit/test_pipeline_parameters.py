"""Pipeline parameters: declarations and bindings in the graph format, their problems, run values."""

import pytest

from designer.pipelines.bindings import binding, resolve_bindings
from designer.pipelines.graph import GraphFormatError, read_graph, validate
from designer.pipelines.parameters import (
    ParameterValuesError,
    declared_parameters,
    graph_with_values,
    resolve_values,
)
from modules.registry import build_registry
from tests.graphs import GraphBuilder


@pytest.fixture(scope="module")
def registry():
    return build_registry([])


BOUND_FRACTION = binding("fraction")


def split_twice(*parameters, fraction=BOUND_FRACTION, seed=1):
    """Sample Dataset -> two Split Data nodes, both taking `fraction` from the pipeline parameter."""
    document = (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("first", "split_data", fraction=fraction, seed=seed)
        .node("second", "split_data", fraction=fraction, seed=1)
        .edge("load.dataset", "first.dataset")
        .edge("load.dataset", "second.dataset")
        .build()
    )
    return {**document, "parameters": list(parameters)}


FRACTION = {"name": "fraction", "type": "float", "default": 0.8, "description": "rows to train on"}


def problems_of(document, registry):
    return [(p.code, p.node, p.parameter) for p in validate(read_graph(document), registry)]


def test_a_parameter_bound_to_two_nodes_is_a_valid_pipeline(registry):
    assert problems_of(split_twice(FRACTION), registry) == []
    [parameter] = declared_parameters(read_graph(split_twice(FRACTION)))
    assert (parameter.name, parameter.type, parameter.default) == ("fraction", "float", 0.8)


def test_the_format_refuses_an_unknown_parameter_type():
    with pytest.raises(GraphFormatError, match=r"parameters\[0\]\.type"):
        read_graph(split_twice({"name": "fraction", "type": "date"}))


def test_a_binding_to_an_undeclared_parameter_names_node_and_field(registry):
    problems = validate(read_graph(split_twice()), registry)
    assert [(p.code, p.node, p.parameter) for p in problems] == [
        ("unknown_pipeline_parameter", "first", "fraction"),
        ("unknown_pipeline_parameter", "second", "fraction"),
    ]
    assert "pipeline parameter 'fraction', which is not declared" in problems[0].message


def test_a_string_parameter_cannot_feed_a_number_field(registry):
    document = split_twice({"name": "fraction", "type": "string", "default": "x"})
    problems = validate(read_graph(document), registry)
    assert [(p.code, p.node, p.parameter) for p in problems] == [
        ("binding_type_mismatch", "first", "fraction"),
        ("binding_type_mismatch", "second", "fraction"),
    ]
    assert "takes float, but pipeline parameter 'fraction' is string" in problems[0].message


def test_an_int_parameter_may_feed_a_float_field(registry):
    document = split_twice({"name": "fraction", "type": "int", "default": 1})
    assert problems_of(document, registry) == []


def test_a_default_outside_the_fields_range_is_a_mismatch(registry):
    document = split_twice({"name": "fraction", "type": "float", "default": 3.5})
    problems = validate(read_graph(document), registry)
    assert {p.code for p in problems} == {"binding_type_mismatch"}
    assert "must be at most 1.0" in problems[0].message


def test_a_choice_parameter_needs_options_within_the_fields_choices(registry):
    document = GraphBuilder().node("load", "sample_dataset", dataset=binding("data")).build() | {
        "parameters": [{"name": "data", "type": "choice", "options": ["iris", "mnist"], "default": "iris"}]
    }
    [problem] = validate(read_graph(document), registry)
    assert (problem.code, problem.node, problem.parameter) == ("binding_type_mismatch", "load", "dataset")
    assert "option(s) mnist of 'data' are not among" in problem.message


def test_a_default_out_of_its_choices_names_the_parameter(registry):
    document = {
        **GraphBuilder().node("load", "sample_dataset", dataset="iris").build(),
        "parameters": [{"name": "data", "type": "choice", "options": ["iris"], "default": "wine"}],
    }
    [problem] = validate(read_graph(document), registry)
    assert (problem.code, problem.node, problem.parameter) == ("invalid_pipeline_parameter", None, "data")
    assert "must be one of iris" in problem.message


def test_a_parameter_declared_twice(registry):
    problems = problems_of(split_twice(FRACTION, FRACTION), registry)
    assert problems == [("duplicate_pipeline_parameter", None, "fraction")]


def test_run_values_default_what_is_not_given_and_parse_the_rest():
    declared = declared_parameters(read_graph(split_twice(FRACTION, {"name": "seed", "type": "int", "default": 3})))
    assert resolve_values(declared, {"fraction": "0.6"}) == {"fraction": 0.6, "seed": 3}


def test_run_values_name_each_unknown_missing_or_invalid_parameter():
    declared = declared_parameters(
        read_graph(
            split_twice(
                {"name": "fraction", "type": "float"},
                {"name": "mode", "type": "choice", "options": ["fast", "slow"], "default": "fast"},
            )
        )
    )
    with pytest.raises(ParameterValuesError) as raised:
        resolve_values(declared, {"mode": "medium", "speed": 2})
    assert [(p.code, p.parameter) for p in raised.value.problems] == [
        ("unknown_pipeline_parameter", "speed"),
        ("missing_parameter_value", "fraction"),
        ("invalid_parameter_value", "mode"),
    ]
    assert "must be one of fast, slow" in raised.value.problems[2].message


def test_a_graph_with_values_holds_them_in_every_bound_field(registry):
    graph = graph_with_values(read_graph(split_twice(FRACTION)), {"fraction": 0.6})
    assert [graph.node(node).parameters["fraction"] for node in ("first", "second")] == [0.6, 0.6]
    assert problems_of(graph.to_json(), registry) == []


def test_a_value_outside_a_fields_range_is_a_problem_of_the_bound_node(registry):
    graph = graph_with_values(read_graph(split_twice(FRACTION)), {"fraction": 1.5})
    assert ("invalid_parameter", "first", "fraction") in problems_of(graph.to_json(), registry)


def test_resolving_leaves_plain_values_and_unknown_bindings_alone():
    raw = {"fraction": binding("fraction"), "seed": 2, "other": binding("missing")}
    assert resolve_bindings(raw, {"fraction": 0.5}) == {"fraction": 0.5, "seed": 2, "other": binding("missing")}


def test_notes_are_kept_and_change_no_validation(registry):
    note = {"id": "note-1", "text": "Split twice to compare seeds", "position": {"x": 10, "y": 20}, "width": 200}
    document = {**split_twice(FRACTION), "notes": [note]}
    graph = read_graph(document)
    assert graph.to_json()["notes"] == [note]
    assert [node.id for node in graph.nodes] == ["load", "first", "second"]
    assert problems_of(document, registry) == []


def test_a_note_without_text_is_not_in_the_format():
    with pytest.raises(GraphFormatError, match=r"notes\[0\]"):
        read_graph({**split_twice(FRACTION), "notes": [{"id": "n", "position": {"x": 0, "y": 0}}]})

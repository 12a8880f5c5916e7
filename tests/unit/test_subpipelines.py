"""Sub-pipelines: a group is flattened into its inner steps on read, and validated with its path."""

import pytest

from designer.pipelines.graph import GraphFormatError, propagate_schemas, read_graph, validate
from modules.registry import build_registry
from runner.options import RunOptionError, RunOptions
from runner.plan import Plan
from tests.group_graphs import port, prep_group


@pytest.fixture(scope="module")
def registry():
    return build_registry(["tests.fixture_modules"])


def problems_of(document, registry):
    return [(p.code, p.node, p.port or p.parameter, p.message) for p in validate(read_graph(document), registry)]


def test_a_group_is_read_as_its_inner_steps_wired_through_its_ports():
    graph = read_graph(prep_group())

    assert [node.id for node in graph.nodes] == ["load", "prep:columns", "prep:echo", "split"]
    assert {(e.source_node, e.source_port, e.target_node, e.target_port) for e in graph.edges} == {
        ("prep:columns", "dataset", "prep:echo", "dataset"),
        ("load", "dataset", "prep:columns", "dataset"),
        ("prep:echo", "dataset", "split", "dataset"),
    }
    assert graph.node_documents["prep:columns"]["module"] == "select_columns"


def test_the_document_keeps_the_group_as_written():
    assert read_graph(prep_group()).to_json() == prep_group()


def test_a_grouped_pipeline_that_can_run_has_no_problems(registry):
    assert problems_of(prep_group(), registry) == []


def test_columns_propagate_through_the_group(registry):
    inputs, outputs = propagate_schemas(read_graph(prep_group()), registry)

    assert inputs["prep:columns"]["dataset"].names()[:2] == ["sepal length (cm)", "sepal width (cm)"]
    assert outputs["prep:columns"]["dataset"].names() == ["petal length (cm)", "target"]


def test_a_problem_inside_a_group_names_its_path(registry):
    document = prep_group()
    document["nodes"][1]["group"]["nodes"][0]["parameters"]["columns"] = ["no such column"]

    [(code, node, parameter, message)] = problems_of(document, registry)

    assert (code, node, parameter) == ("unknown_column", "prep:columns", "columns")
    assert message.startswith("group 'prep' \u203a node 'columns': ")


def test_an_exposed_input_left_unconnected_is_a_missing_input_of_the_inner_node(registry):
    document = prep_group()
    document["edges"] = [edge for edge in document["edges"] if edge["target"]["node"] != "prep"]

    [(code, node, port_name, message)] = problems_of(document, registry)

    assert (code, node, port_name) == ("missing_input", "prep:columns", "dataset")
    assert message == "group 'prep' \u203a node 'columns': input 'dataset' is not connected"


def test_an_edge_to_a_port_the_group_does_not_expose_is_refused(registry):
    document = prep_group()
    document["edges"][1]["source"]["port"] = "elsewhere"

    problems = problems_of(document, registry)

    assert ("unknown_port", "prep", "elsewhere", "group 'prep' has no output port 'elsewhere'") in problems


def test_an_exposed_port_naming_no_inner_node_is_reported_on_the_group(registry):
    document = prep_group()
    document["nodes"][1]["group"]["outputs"] = [port("selected", "gone", "dataset")]

    codes = {(code, node, port_name) for code, node, port_name, _ in problems_of(document, registry)}

    assert ("unknown_node", "prep", "selected") in codes


def test_groups_do_not_nest(registry):
    document = prep_group()
    inner = document["nodes"][1]["group"]
    inner["nodes"].append({"id": "deeper", "group": {"nodes": [], "edges": [], "inputs": [], "outputs": []}})

    codes = [(code, node) for code, node, _, _ in problems_of(document, registry)]

    assert codes == [("nested_group", "prep")]


def test_a_group_without_its_inner_graph_is_not_a_graph():
    document = prep_group()
    del document["nodes"][1]["group"]["outputs"]

    with pytest.raises(GraphFormatError, match="outputs"):
        read_graph(document)


def test_a_node_needs_a_module_unless_it_is_a_group():
    document = prep_group()
    del document["nodes"][0]["module"]

    with pytest.raises(GraphFormatError, match="module"):
        read_graph(document)


def test_running_up_to_a_group_runs_its_inner_steps_and_their_ancestors():
    plan = Plan.from_graph(read_graph(prep_group()))

    assert RunOptions(up_to="prep").nodes_to_run(plan) == ["load", "prep:columns", "prep:echo"]
    assert RunOptions(up_to="prep:columns").nodes_to_run(plan) == ["load", "prep:columns"]


def test_rerunning_from_a_group_turns_reuse_off_from_its_first_inner_step():
    plan = Plan.from_graph(read_graph(prep_group()))

    assert RunOptions(from_node="prep").reuse_off(plan) == {"prep:columns", "prep:echo", "split"}
    assert RunOptions(from_node="prep:echo").reuse_off(plan) == {"prep:echo", "split"}


def test_a_partial_run_naming_an_unknown_group_is_refused():
    plan = Plan.from_graph(read_graph(prep_group()))

    with pytest.raises(RunOptionError, match="'up_to' names node 'nope'"):
        RunOptions(up_to="nope").check(plan)
    RunOptions(up_to="prep", from_node="prep:echo").check(plan)

"""What changed between two graphs: nodes added, removed and changed, parameters old → new, edges."""

import copy

from designer.pipelines.diff import graph_diff
from designer.pipelines.graph import read_graph
from tests.graphs import GraphBuilder, iris_split_graph


def diff_of(old, new, registry=None):
    return graph_diff(read_graph(old), read_graph(new), registry)


def test_identical_graphs_have_only_unchanged_nodes_and_edges():
    diff = diff_of(iris_split_graph(), iris_split_graph())
    assert [(node.node, node.status) for node in diff.nodes] == [
        ("load", "unchanged"),
        ("columns", "unchanged"),
        ("split", "unchanged"),
    ]
    assert {edge.status for edge in diff.edges} == {"unchanged"}
    assert diff.summary == {
        "added": 0,
        "removed": 0,
        "changed": 0,
        "unchanged": 3,
        "edges_added": 0,
        "edges_removed": 0,
    }


def test_a_changed_parameter_is_listed_old_to_new():
    new = iris_split_graph()
    new["nodes"][2]["parameters"]["fraction"] = 0.7
    split = diff_of(iris_split_graph(), new).node("split")
    assert split.status == "changed"
    assert [change.to_json() for change in split.parameters] == [{"name": "fraction", "old": 0.8, "new": 0.7}]
    assert split.old_version is None and split.new_version is None


def test_a_removed_node_takes_its_edges_with_it_and_an_added_one_brings_new_ones():
    old = iris_split_graph()
    new = (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("split", "split_data", fraction=0.8, seed=1, stratify_column="target")
        .node("extra", "pass_through")
        .edge("load.dataset", "split.dataset")
        .edge("load.dataset", "extra.dataset")
        .build()
    )
    new["nodes"][1]["position"] = old["nodes"][2]["position"]
    diff = diff_of(old, new)
    assert [(node.node, node.status) for node in diff.nodes] == [
        ("load", "unchanged"),
        ("split", "unchanged"),
        ("extra", "added"),
        ("columns", "removed"),
    ]
    edges = {(e.edge.source_node, e.edge.target_node): e.status for e in diff.edges}
    assert edges == {
        ("load", "split"): "added",
        ("load", "extra"): "added",
        ("load", "columns"): "removed",
        ("columns", "split"): "removed",
    }
    assert (diff.summary["edges_added"], diff.summary["edges_removed"]) == (2, 2)


def test_a_module_version_change_is_shown_and_makes_the_node_changed():
    new = iris_split_graph()
    new["nodes"][0]["version"] = "2"
    load = diff_of(iris_split_graph(), new).node("load")
    assert (load.status, load.old_version, load.new_version) == ("changed", "1", "2")


def test_moving_a_node_is_not_a_change_but_is_noted():
    new = iris_split_graph()
    new["nodes"][1]["position"] = {"x": 999, "y": 5}
    columns = diff_of(iris_split_graph(), new).node("columns")
    assert (columns.status, columns.moved) == ("unchanged", True)


def test_a_comment_is_a_changed_setting():
    new = copy.deepcopy(iris_split_graph())
    new["nodes"][1]["comment"] = "only petals"
    columns = diff_of(iris_split_graph(), new).node("columns")
    assert columns.status == "changed"
    assert [change.to_json() for change in columns.settings] == [{"name": "comment", "old": None, "new": "only petals"}]


def test_with_the_registry_spelling_out_a_default_is_no_change(registry):
    old = GraphBuilder().node("split", "split_data").build()
    new = GraphBuilder().node("split", "split_data", fraction=0.55).build()
    default = next(p.default for p in registry.get("split_data").parameters if p.name == "fraction")
    spelled = GraphBuilder().node("split", "split_data", fraction=default).build()
    assert diff_of(old, spelled, registry).node("split").status == "unchanged"
    assert diff_of(old, spelled).node("split").status == "changed"  # without defaults, unset differs from set
    changed = diff_of(old, new, registry).node("split")
    assert [change.to_json() for change in changed.parameters] == [{"name": "fraction", "old": default, "new": 0.55}]


def test_numbers_compare_as_json_values_but_booleans_are_not_numbers():
    old = GraphBuilder().node("a", "x", value=1, flag=True).build()
    same = GraphBuilder().node("a", "x", value=1.0, flag=True).build()
    different = GraphBuilder().node("a", "x", value=1, flag=1).build()
    assert diff_of(old, same).node("a").status == "unchanged"
    assert [change.name for change in diff_of(old, different).node("a").parameters] == ["flag"]


def test_the_json_shape_the_api_serves():
    new = iris_split_graph()
    new["nodes"][2]["parameters"]["seed"] = 2
    document = diff_of(iris_split_graph(), new).to_json()
    assert document["nodes"][2] == {
        "node": "split",
        "status": "changed",
        "module": "split_data",
        "old_module": None,
        "old_version": None,
        "new_version": None,
        "parameters": [{"name": "seed", "old": 1, "new": 2}],
        "settings": [],
        "moved": False,
    }
    assert document["edges"][0] == {
        "source": {"node": "load", "port": "dataset"},
        "target": {"node": "columns", "port": "dataset"},
        "status": "unchanged",
    }

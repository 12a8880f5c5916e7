"""Reading graph documents: the schema, format upgrades, newer versions refused, unknown keys kept."""

import json

import jsonschema
import pytest

from designer.pipelines.graph import (
    FORMAT_VERSION,
    SCHEMA_PATH,
    GraphFormatError,
    read_graph,
    read_stored_graph,
    upgrade,
)
from tests.graphs import iris_split_graph


def test_a_current_graph_reads_into_nodes_and_edges():
    graph = read_graph(iris_split_graph())
    assert [node.id for node in graph.nodes] == ["load", "columns", "split"]
    assert graph.node("split").parameters == {"fraction": 0.8, "seed": 1, "stratify_column": "target"}
    assert [(e.source_node, e.source_port, e.target_node, e.target_port) for e in graph.edges] == [
        ("load", "dataset", "columns", "dataset"),
        ("columns", "dataset", "split", "dataset"),
    ]


def test_format_1_edges_are_upgraded():
    document = {
        "format_version": 1,
        "nodes": [{"id": "a", "module": "sample_dataset", "version": "1"}],
        "edges": [{"from": "a.dataset", "to": "b.dataset", "note": "kept"}],
    }
    upgraded = upgrade(document)
    assert upgraded["format_version"] == FORMAT_VERSION
    assert upgraded["edges"] == [
        {"source": {"node": "a", "port": "dataset"}, "target": {"node": "b", "port": "dataset"}, "note": "kept"}
    ]
    assert document["format_version"] == 1, "the caller's document is left as it was"


def test_a_stored_graph_reads_as_it_did_when_it_was_accepted_without_the_schema_check():
    document = {
        "format_version": 1,
        "nodes": [
            {"id": "a", "module": "sample_dataset", "version": "1"},
            {"id": "b", "module": "split_data", "version": "1"},
        ],
        "edges": [{"from": "a.dataset", "to": "b.dataset"}],
    }
    accepted, stored = read_graph(document), read_stored_graph(document)
    assert (stored.nodes, stored.edges, stored.document) == (accepted.nodes, accepted.edges, accepted.document)
    # what read_graph refuses is not looked for again: a stored version was accepted once
    unchecked = {**document, "nodes": [{**document["nodes"][0], "position": "left"}, document["nodes"][1]]}
    with pytest.raises(GraphFormatError):
        read_graph(unchecked)
    assert [node.id for node in read_stored_graph(unchecked).nodes] == ["a", "b"]
    with pytest.raises(GraphFormatError, match="is newer than this Trellis reads"):  # never a newer format
        read_stored_graph({"format_version": 3, "nodes": [], "edges": []})


def test_a_newer_format_is_refused_with_a_clear_error():
    with pytest.raises(GraphFormatError, match="format_version 3 is newer than this Trellis reads"):
        read_graph({"format_version": 3, "nodes": [], "edges": []})


def test_unknown_keys_are_kept_everywhere():
    document = iris_split_graph()
    document["layout"] = {"zoom": 2}
    document["nodes"][0]["comment"] = "from scikit-learn"
    document["edges"][0]["style"] = "dashed"
    assert read_graph(document).to_json() == document


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ([], "a graph must be a JSON object"),
        ({"nodes": [], "edges": []}, "format_version must be a whole number"),
        ({"format_version": 2, "nodes": [{"id": "a"}], "edges": []}, "$.nodes[0]: 'module' is a required property"),
        ({"format_version": 2, "nodes": [], "edges": [{"source": {"node": "a"}}]}, "$.edges[0]"),
        ({"format_version": 2, "nodes": [{"id": "a b", "module": "m", "version": "1"}], "edges": []}, "$.nodes[0].id"),
    ],
)
def test_malformed_documents_say_where(document, where):
    with pytest.raises(GraphFormatError) as raised:
        read_graph(document)
    assert where in str(raised.value)


def test_every_example_matches_the_published_schema():
    from pathlib import Path

    schema = json.loads(SCHEMA_PATH.read_text())
    examples = sorted((Path(__file__).parents[2] / "examples").glob("*.json"))
    for path in examples:
        jsonschema.validate(upgrade(json.loads(path.read_text())), schema)


def test_an_endpoint_missing_its_port_is_named_through_the_shared_definition():
    document = {"format_version": 2, "nodes": [], "edges": [{"source": {"node": "a"}, "target": {"node": "b"}}]}
    with pytest.raises(GraphFormatError) as raised:
        read_graph(document)
    assert "$.edges[0].source: 'port' is a required property" in str(raised.value)
    assert "$.edges[0].target: 'port' is a required property" in str(raised.value)


def test_a_graph_read_before_is_checked_again_once_it_changes():
    document = iris_split_graph()
    read_graph(document)
    read_graph(document)  # the same document again: known good
    document["nodes"][0]["id"] = "not an id"
    with pytest.raises(GraphFormatError, match=r"\$\.nodes\[0\]\.id"):
        read_graph(document)


def test_the_first_of_duplicate_node_ids_is_the_one_found():
    document = iris_split_graph()
    document["nodes"].append({**document["nodes"][0], "parameters": {"dataset": "wine"}})
    assert read_graph(document).node("load").parameters == document["nodes"][0]["parameters"]
    assert read_graph(document).node("missing") is None

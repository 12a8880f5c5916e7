"""Graph documents with a sub-pipeline, for the tests of groups (see designer/pipelines/subpipelines.py)."""

from __future__ import annotations

from typing import Any

from tests.graphs import GraphBuilder


def port(name: str, node: str, port_name: str) -> dict[str, str]:
    return {"name": name, "node": node, "port": port_name}


def prep_group(inner_echo_keys: dict[str, Any] | None = None) -> dict[str, Any]:
    """load -> group 'prep' (columns -> echo) -> split: the middle two nodes grouped.

    The group exposes input 'dataset' (columns.dataset) and output 'selected' (echo.dataset).
    """
    inner = (
        GraphBuilder()
        .node("columns", "select_columns", columns=["petal length (cm)", "target"])
        .node("echo", "pass_through")
        .edge("columns.dataset", "echo.dataset")
        .build()
    )
    inner["nodes"][1].update(inner_echo_keys or {})
    group = {
        "id": "prep",
        "group": {
            "nodes": inner["nodes"],
            "edges": inner["edges"],
            "inputs": [port("dataset", "columns", "dataset")],
            "outputs": [port("selected", "echo", "dataset")],
        },
        "position": {"x": 220.0, "y": 0.0},
    }
    outer = (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("split", "split_data", fraction=0.8, seed=1, stratify_column="target")
        .edge("load.dataset", "prep.dataset")
        .edge("prep.selected", "split.dataset")
        .build()
    )
    outer["nodes"].insert(1, group)
    return outer

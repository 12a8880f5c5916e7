"""Realistic layered pipelines of any size for the canvas benchmark.

Each block of ten nodes is a whole experiment: a sample dataset, cleaned, narrowed to its columns,
normalized and summarized, split, a classifier trained on one part and scored on the other, then
evaluated against the previous block's scores (so blocks chain into one connected graph). Blocks
are tiled in a grid, left to right in ports order, as auto-layout would place them.
"""

from __future__ import annotations

from typing import Any

BLOCK_SIZE = 10
COLUMN_GAP = 280  # flow units between layers (a node is 190 to 260 wide)
ROW_GAP = 130
BLOCK_COLUMNS = 8  # layers in one block
BLOCK_ROWS = 3  # node rows in one block
BLOCKS_PER_ROW = 4
IRIS_COLUMNS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)", "target"]
CLASSIFIERS = ("multiclass_logistic_regression", "multiclass_decision_forest", "multiclass_neural_network")

# (role, module, layer, row, parameters) of one block, in the order their ids are numbered.
BLOCK: tuple[tuple[str, str, int, int, dict[str, Any]], ...] = (
    ("data", "sample_dataset", 0, 0, {"dataset": "iris"}),
    ("clean", "clean_missing_data", 1, 0, {"cleaning_mode": "mean"}),
    ("columns", "select_columns", 2, 0, {"columns": IRIS_COLUMNS}),
    ("normalize", "normalize_data", 3, 0, {"method": "zscore", "columns": IRIS_COLUMNS[:4]}),
    ("summary", "summarize_data", 4, 2, {}),
    ("split", "split_data", 4, 0, {"fraction": 0.7, "seed": 7, "stratify_column": "target"}),
    ("classifier", "", 4, 1, {}),
    ("train", "train_model", 5, 0, {"label_column": "target"}),
    ("score", "score_model", 6, 0, {}),
    ("evaluate", "evaluate_model", 7, 0, {}),
)
# (source role, output port, target role, input port) inside one block.
WIRES = (
    ("data", "dataset", "clean", "dataset"),
    ("clean", "dataset", "columns", "dataset"),
    ("columns", "dataset", "normalize", "dataset"),
    ("normalize", "dataset", "summary", "dataset"),
    ("normalize", "dataset", "split", "dataset"),
    ("classifier", "model", "train", "untrained_model"),
    ("split", "dataset1", "train", "dataset"),
    ("train", "model", "score", "model"),
    ("split", "dataset2", "score", "dataset"),
    ("score", "dataset", "evaluate", "scored_dataset"),
)


def _edge(source: str, source_port: str, target: str, target_port: str) -> dict[str, Any]:
    return {"source": {"node": source, "port": source_port}, "target": {"node": target, "port": target_port}}


def layered_graph(node_count: int) -> dict[str, Any]:
    """A valid graph (format_version 2) of `node_count` nodes, a multiple of ten."""
    if node_count % BLOCK_SIZE:
        raise ValueError(f"node_count must be a multiple of {BLOCK_SIZE}, not {node_count}")
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for block in range(node_count // BLOCK_SIZE):
        left = (block % BLOCKS_PER_ROW) * (BLOCK_COLUMNS + 1) * COLUMN_GAP
        top = (block // BLOCKS_PER_ROW) * (BLOCK_ROWS + 1) * ROW_GAP
        ids = {role: f"b{block}-{role}" for role, *_ in BLOCK}
        for role, module, layer, row, parameters in BLOCK:
            nodes.append(
                {
                    "id": ids[role],
                    "module": module or CLASSIFIERS[block % len(CLASSIFIERS)],
                    "version": "1",
                    "parameters": dict(parameters),
                    "position": {"x": left + layer * COLUMN_GAP, "y": top + row * ROW_GAP},
                }
            )
        edges.extend(_edge(ids[a], a_port, ids[b], b_port) for a, a_port, b, b_port in WIRES)
        if block > 0:  # compare with the previous experiment: the blocks make one graph
            edges.append(_edge(f"b{block - 1}-score", "dataset", ids["evaluate"], "scored_dataset_to_compare"))
    return {"format_version": 2, "nodes": nodes, "edges": edges}

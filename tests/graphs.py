"""A small builder for graph documents, so tests say what a pipeline is, not how JSON spells it."""

from __future__ import annotations

from typing import Any


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []

    def node(self, node_id: str, module: str, version: str = "1", **parameters: Any) -> GraphBuilder:
        position = {"x": 220.0 * len(self.nodes), "y": 0.0}
        self.nodes.append(
            {"id": node_id, "module": module, "version": version, "parameters": parameters, "position": position}
        )
        return self

    def keys(self, node_id: str, **keys: Any) -> GraphBuilder:
        """Set node keys besides parameters (compute_target, timeout_seconds, retries, ...)."""
        next(node for node in self.nodes if node["id"] == node_id).update(keys)
        return self

    def edge(self, source: str, target: str) -> GraphBuilder:
        """Connect "node.port" to "node.port"."""
        source_node, source_port = source.split(".")
        target_node, target_port = target.split(".")
        self.edges.append(
            {"source": {"node": source_node, "port": source_port}, "target": {"node": target_node, "port": target_port}}
        )
        return self

    def build(self) -> dict[str, Any]:
        return {"format_version": 2, "nodes": list(self.nodes), "edges": list(self.edges)}


def iris_split_graph() -> dict[str, Any]:
    """Sample Dataset (iris) -> Select Columns -> Split Data: the three built-ins in a row."""
    return (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("columns", "select_columns", columns=["petal length (cm)", "target"])
        .node("split", "split_data", fraction=0.8, seed=1, stratify_column="target")
        .edge("load.dataset", "columns.dataset")
        .edge("columns.dataset", "split.dataset")
        .build()
    )


def load_and_split(fraction: float = 0.8) -> dict[str, Any]:
    """Sample Dataset (iris) -> Split Data with this fraction: a change of fraction reruns only the split."""
    return (
        GraphBuilder()
        .node("load", "sample_dataset", dataset="iris")
        .node("split", "split_data", fraction=fraction, seed=1)
        .edge("load.dataset", "split.dataset")
        .build()
    )


def classifier_graph(l2_weight: float = 1.0, seed: int = 3) -> dict[str, Any]:
    """Breast cancer data split in two, a logistic regression trained on one part, scored and
    evaluated on the other: a pipeline with an Evaluate Model output, in two rows of three."""
    graph = (
        GraphBuilder()
        .node("data", "sample_dataset", dataset="breast_cancer")
        .node("split", "split_data", fraction=0.7, seed=seed)
        .node("algorithm", "two_class_logistic_regression", l2_weight=l2_weight)
        .node("train", "train_model", label_column="target")
        .node("score", "score_model")
        .node("evaluate", "evaluate_model")
        .edge("data.dataset", "split.dataset")
        .edge("algorithm.model", "train.untrained_model")
        .edge("split.dataset1", "train.dataset")
        .edge("train.model", "score.model")
        .edge("split.dataset2", "score.dataset")
        .edge("score.dataset", "evaluate.scored_dataset")
        .build()
    )
    for index, node in enumerate(graph["nodes"]):
        node["position"] = {"x": 280.0 * (index // 2), "y": 200.0 * (index % 2)}
    return graph

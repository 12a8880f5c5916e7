"""K-Means Clustering, Train Clustering Model and Assign Data to Clusters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.cluster import KMeans

from modules.builtin.algorithms import CATEGORY, CLUSTERING, task_of, with_task
from modules.builtin.transform import require_columns
from modules.schema import Column, Schemas, TableSchema
from modules.spec import ModuleError, Parameter, Port, module

ASSIGNMENTS = "Assignments"
DISTANCE_PREFIX = "DistancesToClusterCenter no."


@module(
    name="k_means_clustering",
    version="1",
    display_name="K-Means Clustering",
    category=CATEGORY,
    description="Groups rows into K clusters around centroids.",
    outputs=[Port("model", "untrained_model", "Untrained model")],
    parameters=[
        Parameter("centroids", "int", "Number of centroids", default=2, minimum=1),
        Parameter("initialization", "choice", "Initialization", default="k-means++", choices=("k-means++", "random")),
        Parameter("iterations", "int", "Iterations", default=100, minimum=1),
        Parameter("random_seed", "int", "Random number seed", default=0, minimum=0),
    ],
)
def k_means_clustering(centroids: int, initialization: str, iterations: int, random_seed: int) -> dict[str, Any]:
    model = KMeans(n_clusters=centroids, init=initialization, max_iter=iterations, n_init=1, random_state=random_seed)
    return {"model": with_task(model, CLUSTERING)}


def _features(dataset: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    require_columns(dataset, columns, "dataset")
    text = [name for name in columns if not pd.api.types.is_numeric_dtype(dataset[name])]
    if text:
        raise ModuleError(f"clustering needs numeric columns; not numeric: {', '.join(text)}")
    if dataset[columns].isna().any().any():
        raise ModuleError("the columns to cluster have missing values; clean them first")
    return dataset[columns]


def assigned(model: Any, dataset: pd.DataFrame, append: bool) -> pd.DataFrame:
    """Each row's cluster and its distance to every centroid."""
    columns = [str(name) for name in model.feature_names_in_]
    features = _features(dataset, columns)
    distances = model.transform(features)
    result = dataset.copy() if append else pd.DataFrame(index=dataset.index)
    result[ASSIGNMENTS] = model.predict(features)
    for index in range(distances.shape[1]):
        result[f"{DISTANCE_PREFIX}{index}"] = distances[:, index]
    result.attrs["trellis"] = {"task": CLUSTERING, "label": ""}
    return result.reset_index(drop=True)


def _assigned_schema(inputs: Schemas, parameters: Mapping[str, Any]) -> dict[str, TableSchema | None]:
    """The assignments and (how many, the model knows) distance columns, after the input's if appended."""
    schema = inputs["dataset"]
    if schema is None:
        return {"dataset": None}
    base = schema.columns if parameters["append"] else ()
    return {"dataset": TableSchema((*base, Column(ASSIGNMENTS, "integer")), complete=False)}


@module(
    name="train_clustering_model",
    version="1",
    display_name="Train Clustering Model",
    category="Model Training",
    description="Fit a clustering model, and assign the training rows to its clusters.",
    inputs=[Port("untrained_model", "untrained_model", "Untrained model"), Port("dataset", "table", "Dataset")],
    outputs=[Port("model", "model", "Trained model"), Port("dataset", "table", "Results dataset")],
    parameters=[
        Parameter("columns", "columns", "Column set", required=False, description="Empty: every numeric column."),
        Parameter("append", "bool", "Append the assignments to the dataset (else only the results)", default=True),
    ],
    schema=_assigned_schema,
)
def train_clustering_model(
    untrained_model: Any, dataset: pd.DataFrame, columns: list[str] | None, append: bool
) -> dict[str, Any]:
    if task_of(untrained_model) != CLUSTERING:
        raise ModuleError("Train Clustering Model trains clustering models; use Train Model for this one")
    columns = columns or [str(name) for name in dataset.columns if pd.api.types.is_numeric_dtype(dataset[name])]
    model = clone(untrained_model)
    try:
        model.fit(_features(dataset, columns))
    except ValueError as error:
        raise ModuleError(f"clustering failed: {error}") from error
    model.trellis_task_ = CLUSTERING
    return {"model": model, "dataset": assigned(model, dataset, append)}


@module(
    name="assign_data_to_clusters",
    version="1",
    display_name="Assign Data to Clusters",
    category="Model Scoring and Evaluation",
    description="Put each row into the nearest cluster of a trained clustering model.",
    inputs=[Port("model", "model", "Trained model"), Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Results dataset")],
    parameters=[Parameter("append", "bool", "Append the assignments to the dataset", default=True)],
    schema=_assigned_schema,
)
def assign_data_to_clusters(model: Any, dataset: pd.DataFrame, append: bool) -> dict[str, Any]:
    if task_of(model) != CLUSTERING:
        raise ModuleError("Assign Data to Clusters needs a trained clustering model; use Score Model for this one")
    return {"dataset": assigned(model, dataset, append)}


def clustering_metrics(scored: pd.DataFrame) -> dict[str, Any]:
    """Per cluster: how many rows, and how far they are from its centroid on average and at most."""
    distance_columns = sorted(name for name in scored.columns if str(name).startswith(DISTANCE_PREFIX))
    if ASSIGNMENTS not in scored.columns or not distance_columns:
        raise ModuleError("not a clustered dataset: connect it to Assign Data to Clusters or Train Clustering Model")
    clusters = []
    for index, column in enumerate(distance_columns):
        members = scored.loc[scored[ASSIGNMENTS] == index, column]
        clusters.append(
            {
                "cluster": index,
                "points": int(members.size),
                "average_distance_to_center": float(members.mean()) if members.size else None,
                "maximal_distance_to_center": float(members.max()) if members.size else None,
            }
        )
    own = scored[distance_columns].to_numpy()[np.arange(len(scored)), scored[ASSIGNMENTS].to_numpy()]
    return {"clusters": len(distance_columns), "average_distance_to_center": float(own.mean()), "per_cluster": clusters}

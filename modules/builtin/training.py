"""Train Model, Score Model and Evaluate Model."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from modules.builtin.algorithms import BINARY, CLUSTERING, MULTICLASS, REGRESSION, task_of
from modules.builtin.clustering import clustering_metrics
from modules.builtin.transform import require_columns
from modules.schema import Column, TableSchema
from modules.spec import ModuleError, Parameter, Port, module
from modules.step_api import report_progress

SCORED_LABELS = "Scored Labels"
SCORED_PROBABILITIES = "Scored Probabilities"
CURVE_POINTS = 101
# Scored tables carry what Evaluate Model needs in their metadata (kept by Parquet).
METADATA_KEY = "trellis"


def _features(table: pd.DataFrame, label: str) -> pd.DataFrame:
    return table.drop(columns=[label])


def _pipeline(estimator: Any, features: pd.DataFrame) -> Pipeline:
    """One-hot encode text and category columns, pass numbers through, then the estimator."""
    categorical = [str(name) for name in features.columns if not pd.api.types.is_numeric_dtype(features[name])]
    encode = ColumnTransformer(
        [("categories", OneHotEncoder(handle_unknown="ignore"), categorical)], remainder="passthrough"
    )
    return Pipeline([("encode", encode), ("estimator", clone(estimator))])


def fit_model(untrained_model: Any, dataset: pd.DataFrame, label_column: str) -> Pipeline:
    """The untrained model, encoded and fitted on every column but the label; tagged with task and label."""
    require_columns(dataset, [label_column], "dataset")
    task = task_of(untrained_model)
    labels = dataset[label_column]
    _check_label(labels, task)
    features = _features(dataset, label_column)
    model = _pipeline(untrained_model, features)
    try:
        model.fit(features, labels)
    except ValueError as error:
        raise ModuleError(f"training failed: {error}") from error
    model.trellis_task_ = task
    model.trellis_label_ = label_column
    return model


def _check_label(labels: pd.Series, task: str) -> None:
    if task == CLUSTERING:
        raise ModuleError("a clustering model has no label: train it with Train Clustering Model")
    if labels.isna().any():
        raise ModuleError(f"label column {labels.name} has {int(labels.isna().sum())} missing values; clean them first")
    classes = labels.nunique()
    if task == BINARY and classes != 2:
        raise ModuleError(f"a two-class model needs exactly 2 label values; {labels.name} has {classes}")
    if task == REGRESSION and not pd.api.types.is_numeric_dtype(labels):
        raise ModuleError(f"a regression model needs a numeric label; {labels.name} is {labels.dtype}")


@module(
    name="train_model",
    version="1",
    display_name="Train Model",
    category="Model Training",
    description="Train a classification or regression model on a labelled dataset.",
    inputs=[Port("untrained_model", "untrained_model", "Untrained model"), Port("dataset", "table", "Dataset")],
    outputs=[Port("model", "model", "Trained model")],
    parameters=[
        Parameter(
            "label_column",
            "column",
            "Label column",
            required=False,
            description="Empty: the column Edit Metadata marked as the label.",
        )
    ],
)
def train_model(untrained_model: Any, dataset: pd.DataFrame, label_column: str | None) -> dict[str, Any]:
    label_column = label_column or dataset.attrs.get(METADATA_KEY, {}).get("label")
    if not label_column:
        raise ModuleError("no label column: choose one, or mark one as label with Edit Metadata")
    report_progress(0, 1)  # one fit: the node shows the step started, then that it is done
    model = fit_model(untrained_model, dataset, label_column)
    report_progress(1, 1)
    features = _features(dataset, label_column)
    print(f"trained {type(untrained_model).__name__} on {len(dataset)} rows, {features.shape[1]} features")
    return {"model": model}


def scored_table(model: Any, dataset: pd.DataFrame) -> pd.DataFrame:
    """The dataset with the model's predictions appended, and what Evaluate Model needs in its metadata."""
    label = str(getattr(model, "trellis_label_", ""))
    features = dataset.drop(columns=[label]) if label in dataset.columns else dataset
    expected = [str(name) for name in getattr(model, "feature_names_in_", [])]
    require_columns(features, expected, "dataset")
    scored = dataset.copy()
    scored[SCORED_LABELS] = model.predict(features[expected])
    task = task_of(model)
    classes = [value.item() if isinstance(value, np.generic) else value for value in getattr(model, "classes_", [])]
    if task in (BINARY, MULTICLASS):
        probabilities = model.predict_proba(features[expected])
        if task == BINARY:
            scored[SCORED_PROBABILITIES] = probabilities[:, 1]
        else:
            for index, name in enumerate(classes):
                scored[f"{SCORED_PROBABILITIES}_{name}"] = probabilities[:, index]
    scored.attrs[METADATA_KEY] = {"label": label, "task": task, "classes": classes}
    return scored


@module(
    name="score_model",
    version="1",
    display_name="Score Model",
    category="Model Scoring and Evaluation",
    description="Predict with a trained model: appends Scored Labels, and Scored Probabilities for classifiers.",
    inputs=[Port("model", "model", "Trained model"), Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Scored dataset")],
    # Which probability columns follow depends on the model's classes: not complete.
    schema=lambda inputs, parameters: {
        "dataset": None
        if inputs["dataset"] is None
        else TableSchema(inputs["dataset"].plus(Column(SCORED_LABELS, "unknown")).columns, complete=False)
    },
)
def score_model(model: Any, dataset: pd.DataFrame) -> dict[str, Any]:
    return {"dataset": scored_table(model, dataset)}


def _curve(x: np.ndarray, y: np.ndarray) -> dict[str, list[float]]:
    """At most CURVE_POINTS points, evenly spread, enough to draw the curve."""
    keep = np.unique(np.linspace(0, len(x) - 1, min(len(x), CURVE_POINTS)).round().astype(int))
    return {"x": [round(float(v), 6) for v in x[keep]], "y": [round(float(v), 6) for v in y[keep]]}


def _binary_metrics(truth: pd.Series, scored: pd.DataFrame, classes: list[Any]) -> dict[str, Any]:
    positive = classes[1] if len(classes) > 1 else 1
    actual = (truth == positive).to_numpy()
    predicted = (scored[SCORED_LABELS] == positive).to_numpy()
    probability = scored[SCORED_PROBABILITIES].to_numpy()
    fpr, tpr, _ = metrics.roc_curve(actual, probability)
    precision, recall, _ = metrics.precision_recall_curve(actual, probability)
    matrix = metrics.confusion_matrix(actual, predicted, labels=[False, True])
    return {
        "positive_label": positive,
        "accuracy": metrics.accuracy_score(actual, predicted),
        "precision": metrics.precision_score(actual, predicted, zero_division=0),
        "recall": metrics.recall_score(actual, predicted, zero_division=0),
        "f1_score": metrics.f1_score(actual, predicted, zero_division=0),
        "auc": metrics.roc_auc_score(actual, probability) if len(set(actual)) == 2 else None,
        "confusion_matrix": {"labels": ["negative", "positive"], "counts": matrix.tolist()},
        "roc_curve": _curve(fpr, tpr),
        "precision_recall_curve": _curve(recall[::-1], precision[::-1]),
    }


def _multiclass_metrics(truth: pd.Series, scored: pd.DataFrame, classes: list[Any]) -> dict[str, Any]:
    predicted = scored[SCORED_LABELS]
    labels = classes or sorted(set(truth))
    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    return {
        "accuracy": metrics.accuracy_score(truth, predicted),
        "macro_precision": float(np.mean(precision)),
        "macro_recall": float(np.mean(recall)),
        "per_class": [
            {"label": label, "precision": float(p), "recall": float(r), "f1_score": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        ],
        "confusion_matrix": {
            "labels": labels,
            "counts": metrics.confusion_matrix(truth, predicted, labels=labels).tolist(),
        },
    }


def _regression_metrics(truth: pd.Series, scored: pd.DataFrame) -> dict[str, Any]:
    actual, predicted = truth.to_numpy(dtype=float), scored[SCORED_LABELS].to_numpy(dtype=float)
    errors, deviations = actual - predicted, actual - actual.mean()
    return {
        "mean_absolute_error": float(np.mean(np.abs(errors))),
        "root_mean_squared_error": float(np.sqrt(np.mean(errors**2))),
        "relative_absolute_error": float(np.sum(np.abs(errors)) / np.sum(np.abs(deviations))),
        "relative_squared_error": float(np.sum(errors**2) / np.sum(deviations**2)),
        "coefficient_of_determination": float(metrics.r2_score(actual, predicted)),
    }


def evaluate_scored(scored: pd.DataFrame, port: str) -> dict[str, Any]:
    info = scored.attrs.get(METADATA_KEY, {})
    label, task = info.get("label", ""), info.get("task", "")
    if task == CLUSTERING:
        return {"task": task, "label": "", "rows": len(scored), **clustering_metrics(scored)}
    if SCORED_LABELS not in scored.columns or not label:
        raise ModuleError(f"input '{port}' is not a scored dataset: connect it to Score Model's output")
    require_columns(scored, [label], port)
    truth = scored[label]
    if task == BINARY:
        result = _binary_metrics(truth, scored, info.get("classes", []))
    elif task == MULTICLASS:
        result = _multiclass_metrics(truth, scored, info.get("classes", []))
    else:
        result = _regression_metrics(truth, scored)
    return {"task": task, "label": label, "rows": len(scored), **result}


@module(
    name="evaluate_model",
    version="1",
    display_name="Evaluate Model",
    category="Model Scoring and Evaluation",
    description="Metrics of a scored dataset, or of two side by side to compare models.",
    inputs=[
        Port("scored_dataset", "table", "Scored dataset"),
        Port("scored_dataset_to_compare", "table", "Scored dataset to compare", optional=True),
    ],
    outputs=[Port("evaluation", "evaluation", "Evaluation results")],
)
def evaluate_model(
    scored_dataset: pd.DataFrame, scored_dataset_to_compare: pd.DataFrame | None = None
) -> dict[str, Any]:
    evaluations = [evaluate_scored(scored_dataset, "scored_dataset")]
    if scored_dataset_to_compare is not None:
        evaluations.append(evaluate_scored(scored_dataset_to_compare, "scored_dataset_to_compare"))
    for evaluation in evaluations:
        shown = {k: v for k, v in evaluation.items() if isinstance(v, int | float) and not isinstance(v, bool)}
        print(", ".join(f"{name} {value:.4g}" for name, value in shown.items()))
    return {"evaluation": {"title": "Evaluation results", "evaluations": evaluations}}

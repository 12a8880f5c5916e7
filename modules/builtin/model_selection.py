"""Choosing features and models: Filter Based Feature Selection, Permutation Feature Importance,
Cross Validate Model and Tune Model Hyperparameters."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.feature_selection import chi2, mutual_info_classif, mutual_info_regression
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, ParameterGrid, ParameterSampler, StratifiedKFold

from modules.builtin.algorithms import BINARY, MULTICLASS, REGRESSION, task_of
from modules.builtin.training import evaluate_scored, fit_model, scored_table
from modules.builtin.transform import require_columns
from modules.schema import Column, TableSchema
from modules.spec import ModuleError, Parameter, Port, module
from modules.step_api import report_progress

FEATURE_SELECTION = "Feature Selection"
SCORES_SCHEMA = TableSchema((Column("Feature", "string"), Column("Score", "number")))
SCORING_METHODS = ("pearson", "spearman", "kendall", "mutual_information", "chi_squared")
PERMUTATION_REPEATS = 5
# What "better" means for each task, and the metric that measures it.
TASK_METRICS = {
    BINARY: ("accuracy", "precision", "recall", "f1_score", "auc"),
    MULTICLASS: ("accuracy", "macro_precision", "macro_recall"),
    REGRESSION: ("mean_absolute_error", "root_mean_squared_error", "coefficient_of_determination"),
}
LOWER_IS_BETTER = {
    "mean_absolute_error",
    "root_mean_squared_error",
    "relative_absolute_error",
    "relative_squared_error",
}
SKLEARN_SCORING = {
    "accuracy": "accuracy",
    "precision": "precision",
    "recall": "recall",
    "f1_score": "f1",
    "auc": "roc_auc",
    "macro_precision": "precision_macro",
    "macro_recall": "recall_macro",
    "mean_absolute_error": "neg_mean_absolute_error",
    "root_mean_squared_error": "neg_root_mean_squared_error",
    "coefficient_of_determination": "r2",
}
# The space Tune Model Hyperparameters searches, by the estimator's class name.
SEARCH_SPACES: dict[str, dict[str, list[Any]]] = {
    "LogisticRegression": {"C": [0.01, 0.1, 1.0, 10.0, 100.0]},
    "Ridge": {"alpha": [0.001, 0.01, 0.1, 1.0, 10.0]},
    "PoissonRegressor": {"alpha": [0.01, 0.1, 1.0, 10.0]},
    "RandomForestClassifier": {"n_estimators": [8, 32, 128], "max_depth": [4, 16, 32], "min_samples_leaf": [1, 4]},
    "RandomForestRegressor": {"n_estimators": [8, 32, 128], "max_depth": [4, 16, 32], "min_samples_leaf": [1, 4]},
    "HistGradientBoostingClassifier": {"learning_rate": [0.05, 0.1, 0.2], "max_leaf_nodes": [10, 20, 50]},
    "HistGradientBoostingRegressor": {"learning_rate": [0.05, 0.1, 0.2], "max_leaf_nodes": [10, 20, 50]},
    "MLPClassifier": {"hidden_layer_sizes": [(50,), (100,), (200,)], "learning_rate_init": [0.001, 0.01]},
}


def _score_features(dataset: pd.DataFrame, target: str, method: str) -> pd.Series:
    features = dataset.drop(columns=[target]).select_dtypes("number")
    labels = dataset[target]
    correlations: dict[str, Literal["pearson", "spearman", "kendall"]] = {
        "pearson": "pearson",
        "spearman": "spearman",
        "kendall": "kendall",
    }
    if method in correlations:
        return features.corrwith(labels.astype(float), method=correlations[method]).abs().fillna(0.0)
    if method == "chi_squared":
        if (features < 0).any().any():
            raise ModuleError("chi-squared scores need features without negative values; try mutual information")
        return pd.Series(chi2(features, labels)[0], index=features.columns).fillna(0.0)
    classify = not pd.api.types.is_float_dtype(labels) or labels.nunique() <= 20
    score = mutual_info_classif if classify else mutual_info_regression
    return pd.Series(score(features, labels, random_state=0), index=features.columns)


@module(
    name="filter_based_feature_selection",
    version="1",
    display_name="Filter Based Feature Selection",
    category=FEATURE_SELECTION,
    description="Score numeric features against the target and keep the best N.",
    inputs=[Port("dataset", "table", "Dataset")],
    outputs=[Port("dataset", "table", "Filtered dataset"), Port("scores", "table", "Features")],
    parameters=[
        Parameter("scoring_method", "choice", "Feature scoring method", default="pearson", choices=SCORING_METHODS),
        Parameter("target_column", "column", "Target column"),
        Parameter("features", "int", "Number of desired features", default=1, minimum=1),
    ],
    # Which features are kept depends on the data; the target column always is.
    schema=lambda inputs, parameters: {
        "dataset": TableSchema((Column(parameters["target_column"], "unknown"),), complete=False),
        "scores": SCORES_SCHEMA,
    },
)
def filter_based_feature_selection(
    dataset: pd.DataFrame, scoring_method: str, target_column: str, features: int
) -> dict[str, Any]:
    require_columns(dataset, [target_column], "dataset")
    scores = _score_features(dataset, target_column, scoring_method).sort_values(ascending=False, kind="stable")
    kept = list(scores.index[:features])
    table = pd.DataFrame({"Feature": scores.index.astype(str), "Score": scores.to_numpy()})
    return {"dataset": dataset[[target_column, *kept]], "scores": table}


def _metric_choices() -> tuple[str, ...]:
    return tuple(dict.fromkeys(metric for metrics in TASK_METRICS.values() for metric in metrics))


def _metric_for(task: str, metric: str) -> str:
    allowed = TASK_METRICS.get(task, ())
    if metric not in allowed:
        raise ModuleError(f"metric {metric} does not measure a {task} model; choose one of {', '.join(allowed)}")
    return metric


@module(
    name="permutation_feature_importance",
    version="1",
    display_name="Permutation Feature Importance",
    category=FEATURE_SELECTION,
    description="How much the model's metric drops when each feature's values are shuffled.",
    inputs=[Port("model", "model", "Trained model"), Port("dataset", "table", "Test data")],
    outputs=[Port("importance", "table", "Feature importance")],
    schema=lambda inputs, parameters: {"importance": SCORES_SCHEMA},
    parameters=[
        Parameter(
            "metric", "choice", "Metric for measuring performance", default="accuracy", choices=_metric_choices()
        ),
        Parameter("random_seed", "int", "Random seed", default=0, minimum=0),
    ],
)
def permutation_feature_importance(model: Any, dataset: pd.DataFrame, metric: str, random_seed: int) -> dict[str, Any]:
    label = str(getattr(model, "trellis_label_", ""))
    require_columns(dataset, [label], "dataset")
    scoring = SKLEARN_SCORING[_metric_for(task_of(model), metric)]
    features = dataset[[str(name) for name in model.feature_names_in_]]
    scores = _permutation_scores(model, features, dataset[label], get_scorer(scoring), random_seed)
    table = pd.DataFrame({"Feature": features.columns.astype(str), "Score": scores})
    return {"importance": table.sort_values("Score", ascending=False, kind="stable").reset_index(drop=True)}


def _permutation_scores(model: Any, features: pd.DataFrame, labels: pd.Series, scorer: Any, seed: int) -> list[float]:
    """Per feature, the mean drop of the score over PERMUTATION_REPEATS shuffles of its values;
    one feature at a time, so that the step reports its progress."""
    baseline = scorer(model, features, labels)
    generator = np.random.RandomState(seed)
    scores = []
    for index, column in enumerate(features.columns):
        drops = []
        for _ in range(PERMUTATION_REPEATS):
            shuffled = features.copy()
            shuffled[column] = generator.permutation(features[column].to_numpy())
            drops.append(baseline - scorer(model, shuffled, labels))
        scores.append(float(np.mean(drops)))
        report_progress(index + 1, len(features.columns))
    return scores


def _folds(dataset: pd.DataFrame, label: str, task: str, folds: int, seed: int) -> list[np.ndarray]:
    if len(dataset) < folds:
        raise ModuleError(f"{folds} folds need at least {folds} rows; the dataset has {len(dataset)}")
    if task in (BINARY, MULTICLASS) and dataset[label].value_counts().min() >= folds:
        splitter: Any = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    else:
        splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return [test for _, test in splitter.split(dataset, dataset[label])]


@module(
    name="cross_validate_model",
    version="1",
    display_name="Cross Validate Model",
    category="Model Scoring and Evaluation",
    description="Train on all folds but one and score that one, for every fold; metrics per fold.",
    inputs=[Port("untrained_model", "untrained_model", "Untrained model"), Port("dataset", "table", "Dataset")],
    outputs=[Port("scored", "table", "Scored results"), Port("metrics", "table", "Evaluation results by fold")],
    parameters=[
        Parameter("label_column", "column", "Label column"),
        Parameter("folds", "int", "Number of folds", default=10, minimum=2),
        Parameter("random_seed", "int", "Random seed", default=0, minimum=0),
    ],
)
def cross_validate_model(
    untrained_model: Any, dataset: pd.DataFrame, label_column: str, folds: int, random_seed: int
) -> dict[str, Any]:
    require_columns(dataset, [label_column], "dataset")
    task = task_of(untrained_model)
    table = dataset.reset_index(drop=True)
    scored_parts, rows = [], []
    for fold, held_out in enumerate(_folds(table, label_column, task, folds, random_seed)):
        model = fit_model(untrained_model, table.drop(index=table.index[held_out]), label_column)
        scored = scored_table(model, table.iloc[held_out]).assign(Fold=fold)
        evaluation = evaluate_scored(scored, "dataset")
        rows.append({"Fold": fold, "Rows": len(held_out), **{m: evaluation.get(m) for m in TASK_METRICS[task]}})
        scored_parts.append(scored)
        print(f"fold {fold + 1} of {folds} done")
        report_progress(fold + 1, folds)
    metrics = pd.DataFrame(rows)
    summary = metrics.drop(columns=["Fold", "Rows"]).agg(["mean", "std"])
    metrics = pd.concat([metrics, summary.assign(Fold=["Mean", "Standard Deviation"])], ignore_index=True)
    metrics["Fold"] = metrics["Fold"].astype(str)
    scored_all = pd.concat(scored_parts).sort_index()
    scored_all.attrs = scored_parts[0].attrs
    return {"scored": scored_all, "metrics": metrics}


def _space_of(untrained_model: Any) -> dict[str, list[Any]]:
    name = type(untrained_model).__name__
    if name not in SEARCH_SPACES:
        known = ", ".join(sorted(SEARCH_SPACES))
        raise ModuleError(f"Tune Model Hyperparameters has no search space for {name}; it can tune {known}")
    return SEARCH_SPACES[name]


@module(
    name="tune_model_hyperparameters",
    version="1",
    display_name="Tune Model Hyperparameters",
    category="Model Training",
    description="Try parameter settings (the entire grid or a random sweep), keep the model that scores best.",
    inputs=[
        Port("untrained_model", "untrained_model", "Untrained model"),
        Port("training", "table", "Training dataset"),
        Port("validation", "table", "Optional validation dataset", optional=True),
    ],
    outputs=[Port("sweep", "table", "Sweep results"), Port("model", "model", "Trained best model")],
    parameters=[
        Parameter("sweeping_mode", "choice", "Parameter sweeping mode", default="random", choices=("grid", "random")),
        Parameter("maximum_runs", "int", "Maximum number of runs on random sweep", default=5, minimum=1),
        Parameter("random_seed", "int", "Random seed", default=0, minimum=0),
        Parameter("label_column", "column", "Label column"),
        Parameter(
            "metric", "choice", "Metric for measuring performance", default="accuracy", choices=_metric_choices()
        ),
    ],
)
def tune_model_hyperparameters(
    untrained_model: Any,
    training: pd.DataFrame,
    sweeping_mode: str,
    maximum_runs: int,
    random_seed: int,
    label_column: str,
    metric: str,
    validation: pd.DataFrame | None = None,
) -> dict[str, Any]:
    task = task_of(untrained_model)
    metric = _metric_for(task, metric)
    space = _space_of(untrained_model)
    settings = list(ParameterGrid(space))
    if sweeping_mode == "random":
        settings = list(ParameterSampler(space, n_iter=min(maximum_runs, len(settings)), random_state=random_seed))
    judged = validation if validation is not None else training
    rows, best = [], None
    report_progress(0, len(settings))
    for index, setting in enumerate(settings):
        candidate = clone(untrained_model).set_params(**setting)
        candidate.trellis_task_ = task
        model = fit_model(candidate, training, label_column)
        value = evaluate_scored(scored_table(model, judged), "validation")[metric]
        rows.append({**{key: str(v) for key, v in setting.items()}, metric: value})
        better = best is None or (value < best[0] if metric in LOWER_IS_BETTER else value > best[0])
        if better:
            best = (value, model)
        print(f"run {index + 1} of {len(settings)}: {setting} -> {metric} {value:.4g}")
        report_progress(index + 1, len(settings))
    sweep = pd.DataFrame(rows).sort_values(metric, ascending=metric in LOWER_IS_BETTER, kind="stable")
    assert best is not None
    return {"sweep": sweep.reset_index(drop=True), "model": best[1]}

"""Algorithms: untrained models, with parameters named as in the Azure designer, over scikit-learn."""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge

from modules.spec import Parameter, Port, module

CATEGORY = "Machine Learning Algorithms"
BINARY, MULTICLASS, REGRESSION, CLUSTERING = "binary", "multiclass", "regression", "clustering"


def with_task(estimator: BaseEstimator, task: str) -> BaseEstimator:
    """Tag an untrained model with the task it is for, so Train Model can check the label fits."""
    estimator.trellis_task_ = task
    return estimator


def task_of(estimator: Any) -> str:
    return str(getattr(estimator, "trellis_task_", ""))


LOGISTIC_PARAMETERS = [
    Parameter("optimization_tolerance", "float", "Optimization tolerance", default=1e-7, minimum=0),
    Parameter("l1_weight", "float", "L1 regularization weight", default=0.0, minimum=0),
    Parameter("l2_weight", "float", "L2 regularization weight", default=1.0, minimum=0),
    Parameter("maximum_iterations", "int", "Maximum iterations", default=1000, minimum=1),
    Parameter("random_seed", "int", "Random number seed", default=0, minimum=0),
]


def _logistic(
    optimization_tolerance: float, l1_weight: float, l2_weight: float, maximum_iterations: int, random_seed: int
) -> LogisticRegression:
    """L1 and L2 weights become scikit-learn's C and l1_ratio (elastic net when both are set)."""
    total = l1_weight + l2_weight
    if total == 0:
        settings: dict[str, Any] = {"C": float("inf"), "solver": "lbfgs"}
    elif l1_weight == 0:
        settings = {"C": 1.0 / l2_weight, "solver": "lbfgs"}
    else:
        settings = {"C": 1.0 / total, "l1_ratio": l1_weight / total, "solver": "saga"}
    return LogisticRegression(
        tol=optimization_tolerance, max_iter=maximum_iterations, random_state=random_seed, **settings
    )


@module(
    name="two_class_logistic_regression",
    version="1",
    display_name="Two-Class Logistic Regression",
    category=CATEGORY,
    description="A logistic regression model that predicts one of two classes.",
    outputs=[Port("model", "untrained_model", "Untrained model")],
    parameters=LOGISTIC_PARAMETERS,
)
def two_class_logistic_regression(**parameters: Any) -> dict[str, Any]:
    return {"model": with_task(_logistic(**parameters), BINARY)}


@module(
    name="multiclass_logistic_regression",
    version="1",
    display_name="Multiclass Logistic Regression",
    category=CATEGORY,
    description="A logistic regression model that predicts one of several classes.",
    outputs=[Port("model", "untrained_model", "Untrained model")],
    parameters=LOGISTIC_PARAMETERS,
)
def multiclass_logistic_regression(**parameters: Any) -> dict[str, Any]:
    return {"model": with_task(_logistic(**parameters), MULTICLASS)}


@module(
    name="linear_regression",
    version="1",
    display_name="Linear Regression",
    category=CATEGORY,
    description="Ordinary least squares, with optional L2 regularization (ridge).",
    outputs=[Port("model", "untrained_model", "Untrained model")],
    parameters=[
        Parameter("l2_weight", "float", "L2 regularization weight", default=0.001, minimum=0),
        Parameter("include_intercept", "bool", "Include intercept term", default=True),
    ],
)
def linear_regression(l2_weight: float, include_intercept: bool) -> dict[str, Any]:
    model = Ridge(alpha=l2_weight, fit_intercept=include_intercept) if l2_weight else LinearRegression()
    return {"model": with_task(model, REGRESSION)}

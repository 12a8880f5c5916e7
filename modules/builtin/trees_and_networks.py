"""Tree ensembles, neural networks, linear classifiers and Poisson regression, for every task.

Each algorithm is one estimator factory; `_declare` turns it into a module per task it serves,
with the Azure designer's parameter names mapped onto scikit-learn's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import PoissonRegressor, SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from modules.builtin.algorithms import BINARY, CATEGORY, MULTICLASS, REGRESSION, task_of, with_task
from modules.spec import ModuleError, ModuleSpec, Parameter, Port, module

SEED = Parameter("random_seed", "int", "Random number seed", default=0, minimum=0)
UNTRAINED = [Port("model", "untrained_model", "Untrained model")]

BOOSTED_PARAMETERS = [
    Parameter("maximum_leaves", "int", "Maximum number of leaves per tree", default=20, minimum=2),
    Parameter("minimum_samples_per_leaf", "int", "Minimum number of samples per leaf node", default=10, minimum=1),
    Parameter("learning_rate", "float", "Learning rate", default=0.2, minimum=1e-6, maximum=1),
    Parameter("trees", "int", "Number of trees constructed", default=100, minimum=1),
    SEED,
]
FOREST_PARAMETERS = [
    Parameter("resampling", "choice", "Resampling method", default="bagging", choices=("bagging", "replicate")),
    Parameter("trees", "int", "Number of decision trees", default=8, minimum=1),
    Parameter("maximum_depth", "int", "Maximum depth of the decision trees", default=32, minimum=1),
    Parameter("minimum_samples_per_leaf", "int", "Minimum number of samples per leaf node", default=1, minimum=1),
    SEED,
]
NETWORK_PARAMETERS = [
    Parameter("hidden_nodes", "int", "Number of hidden nodes", default=100, minimum=1),
    Parameter("learning_rate", "float", "Learning rate", default=0.001, minimum=1e-6, maximum=1),
    Parameter("iterations", "int", "Number of learning iterations", default=200, minimum=1),
    SEED,
]


def boosted_trees(task: str, **settings: Any) -> BaseEstimator:
    kind = HistGradientBoostingRegressor if task == REGRESSION else HistGradientBoostingClassifier
    return kind(
        max_leaf_nodes=settings["maximum_leaves"],
        min_samples_leaf=settings["minimum_samples_per_leaf"],
        learning_rate=settings["learning_rate"],
        max_iter=settings["trees"],
        random_state=settings["random_seed"],
    )


def forest(task: str, **settings: Any) -> BaseEstimator:
    kind = RandomForestRegressor if task == REGRESSION else RandomForestClassifier
    return kind(
        n_estimators=settings["trees"],
        max_depth=settings["maximum_depth"],
        min_samples_leaf=settings["minimum_samples_per_leaf"],
        bootstrap=settings["resampling"] == "bagging",
        random_state=settings["random_seed"],
    )


def network(task: str, **settings: Any) -> BaseEstimator:
    shape = {
        "hidden_layer_sizes": (settings["hidden_nodes"],),
        "learning_rate_init": settings["learning_rate"],
        "max_iter": settings["iterations"],
        "random_state": settings["random_seed"],
    }
    if task != REGRESSION:
        return MLPClassifier(**shape)
    # A network learns a label of any scale poorly: it learns the standardized label instead.
    return TransformedTargetRegressor(regressor=MLPRegressor(**shape), transformer=StandardScaler())


def _declare(
    name: str,
    display_name: str,
    task: str,
    description: str,
    parameters: Sequence[Parameter],
    build: Callable[..., BaseEstimator],
) -> ModuleSpec:
    def make(**settings: Any) -> dict[str, Any]:
        return {"model": with_task(build(task, **settings), task)}

    make.__doc__ = description
    return module(
        name=name,
        version="1",
        display_name=display_name,
        category=CATEGORY,
        description=description,
        outputs=UNTRAINED,
        parameters=parameters,
    )(make)


two_class_boosted_decision_tree = _declare(
    "two_class_boosted_decision_tree",
    "Two-Class Boosted Decision Tree",
    BINARY,
    "Gradient-boosted decision trees that predict one of two classes.",
    BOOSTED_PARAMETERS,
    boosted_trees,
)
multiclass_boosted_decision_tree = _declare(
    "multiclass_boosted_decision_tree",
    "Multiclass Boosted Decision Tree",
    MULTICLASS,
    "Gradient-boosted decision trees that predict one of several classes.",
    BOOSTED_PARAMETERS,
    boosted_trees,
)
boosted_decision_tree_regression = _declare(
    "boosted_decision_tree_regression",
    "Boosted Decision Tree Regression",
    REGRESSION,
    "Gradient-boosted decision trees that predict a number.",
    BOOSTED_PARAMETERS,
    boosted_trees,
)
two_class_decision_forest = _declare(
    "two_class_decision_forest",
    "Two-Class Decision Forest",
    BINARY,
    "A random forest that predicts one of two classes.",
    FOREST_PARAMETERS,
    forest,
)
multiclass_decision_forest = _declare(
    "multiclass_decision_forest",
    "Multiclass Decision Forest",
    MULTICLASS,
    "A random forest that predicts one of several classes.",
    FOREST_PARAMETERS,
    forest,
)
decision_forest_regression = _declare(
    "decision_forest_regression",
    "Decision Forest Regression",
    REGRESSION,
    "A random forest that predicts a number.",
    FOREST_PARAMETERS,
    forest,
)
two_class_neural_network = _declare(
    "two_class_neural_network",
    "Two-Class Neural Network",
    BINARY,
    "A neural network with one hidden layer that predicts one of two classes.",
    NETWORK_PARAMETERS,
    network,
)
multiclass_neural_network = _declare(
    "multiclass_neural_network",
    "Multiclass Neural Network",
    MULTICLASS,
    "A neural network with one hidden layer that predicts one of several classes.",
    NETWORK_PARAMETERS,
    network,
)
neural_network_regression = _declare(
    "neural_network_regression",
    "Neural Network Regression",
    REGRESSION,
    "A neural network with one hidden layer that predicts a number.",
    NETWORK_PARAMETERS,
    network,
)


def _linear_classifier(loss: str, settings: dict[str, Any]) -> BaseEstimator:
    """A stochastic-gradient linear classifier, calibrated so it gives probabilities, on scaled features."""
    classifier = SGDClassifier(
        loss=loss,
        alpha=settings.get("lambda", 0.0001),
        eta0=settings.get("learning_rate", 0.01),
        learning_rate="optimal" if loss == "hinge" else "constant",
        average=loss == "perceptron",
        max_iter=settings["iterations"],
        tol=None,
        random_state=settings["random_seed"],
    )
    return make_pipeline(StandardScaler(), CalibratedClassifierCV(classifier, cv=3))


@module(
    name="two_class_support_vector_machine",
    version="1",
    display_name="Two-Class Support Vector Machine",
    category=CATEGORY,
    description="A linear support vector machine (hinge loss, L2 penalty lambda) that predicts one of two classes.",
    outputs=UNTRAINED,
    parameters=[
        Parameter("iterations", "int", "Number of iterations", default=10, minimum=1),
        Parameter("lambda", "float", "Lambda", default=0.001, minimum=1e-9),
        SEED,
    ],
)
def two_class_support_vector_machine(**settings: Any) -> dict[str, Any]:
    return {"model": with_task(_linear_classifier("hinge", settings), BINARY)}


@module(
    name="two_class_averaged_perceptron",
    version="1",
    display_name="Two-Class Averaged Perceptron",
    category=CATEGORY,
    description="An averaged perceptron that predicts one of two classes.",
    outputs=UNTRAINED,
    parameters=[
        Parameter("learning_rate", "float", "Learning rate", default=1.0, minimum=1e-6),
        Parameter("iterations", "int", "Maximum number of iterations", default=10, minimum=1),
        SEED,
    ],
)
def two_class_averaged_perceptron(**settings: Any) -> dict[str, Any]:
    return {"model": with_task(_linear_classifier("perceptron", settings), BINARY)}


@module(
    name="poisson_regression",
    version="1",
    display_name="Poisson Regression",
    category=CATEGORY,
    description="A generalized linear model for counts (the label must not be negative).",
    outputs=UNTRAINED,
    parameters=[
        Parameter("optimization_tolerance", "float", "Optimization tolerance", default=1e-7, minimum=0),
        Parameter("l2_weight", "float", "L2 regularization weight", default=1.0, minimum=0),
        Parameter("maximum_iterations", "int", "Maximum iterations", default=1000, minimum=1),
    ],
)
def poisson_regression(optimization_tolerance: float, l2_weight: float, maximum_iterations: int) -> dict[str, Any]:
    model = PoissonRegressor(alpha=l2_weight, tol=optimization_tolerance, max_iter=maximum_iterations)
    return {"model": with_task(model, REGRESSION)}


@module(
    name="one_vs_all_multiclass",
    version="1",
    display_name="One-vs-All Multiclass",
    category=CATEGORY,
    description="Turns a two-class model into a multiclass one: one model per class against all the others.",
    inputs=[Port("binary_model", "untrained_model", "Untrained binary classification model")],
    outputs=UNTRAINED,
)
def one_vs_all_multiclass(binary_model: Any) -> dict[str, Any]:
    if task_of(binary_model) != BINARY:
        raise ModuleError("One-vs-All Multiclass needs an untrained two-class model as its input")
    return {"model": with_task(OneVsRestClassifier(binary_model), MULTICLASS)}

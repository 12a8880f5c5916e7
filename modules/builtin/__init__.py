"""The built-in modules, registered in one place."""

from modules.builtin.algorithms import linear_regression, multiclass_logistic_regression, two_class_logistic_regression
from modules.builtin.cleaning import apply_transformation, clean_missing_data, normalize_data
from modules.builtin.data_input import sample_dataset
from modules.builtin.training import evaluate_model, score_model, train_model
from modules.builtin.transform import select_columns, split_data
from modules.registry import ModuleRegistry

BUILTIN_MODULES = (
    sample_dataset,
    select_columns,
    split_data,
    clean_missing_data,
    normalize_data,
    apply_transformation,
    two_class_logistic_regression,
    multiclass_logistic_regression,
    linear_regression,
    train_model,
    score_model,
    evaluate_model,
)


def register(registry: ModuleRegistry) -> None:
    for spec in BUILTIN_MODULES:
        registry.register(spec)

"""The built-in modules, registered in one place."""

from modules.builtin.algorithms import linear_regression, multiclass_logistic_regression, two_class_logistic_regression
from modules.builtin.cleaning import apply_transformation, clean_missing_data, normalize_data
from modules.builtin.columns import (
    apply_math_operation,
    clip_values,
    convert_to_indicator_values,
    group_data_into_bins,
    summarize_data,
)
from modules.builtin.data_input import enter_data_manually, sample_dataset
from modules.builtin.manipulation import (
    add_columns,
    add_rows,
    apply_sql_transformation,
    edit_metadata,
    join_data,
    partition_and_sample,
    remove_duplicate_rows,
)
from modules.builtin.training import evaluate_model, score_model, train_model
from modules.builtin.transform import select_columns, split_data
from modules.registry import ModuleRegistry

BUILTIN_MODULES = (
    sample_dataset,
    enter_data_manually,
    select_columns,
    split_data,
    edit_metadata,
    clean_missing_data,
    normalize_data,
    apply_transformation,
    partition_and_sample,
    join_data,
    add_columns,
    add_rows,
    remove_duplicate_rows,
    apply_sql_transformation,
    apply_math_operation,
    clip_values,
    group_data_into_bins,
    convert_to_indicator_values,
    summarize_data,
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

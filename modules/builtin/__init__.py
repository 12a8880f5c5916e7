"""The built-in modules, registered in one place."""

from modules.builtin.algorithms import linear_regression, multiclass_logistic_regression, two_class_logistic_regression
from modules.builtin.cleaning import apply_transformation, clean_missing_data, normalize_data
from modules.builtin.clustering import assign_data_to_clusters, k_means_clustering, train_clustering_model
from modules.builtin.columns import (
    apply_math_operation,
    clip_values,
    convert_to_indicator_values,
    group_data_into_bins,
    summarize_data,
)
from modules.builtin.data_input import enter_data_manually, sample_dataset
from modules.builtin.import_export import export_data, import_data, zip_dataset
from modules.builtin.manipulation import (
    add_columns,
    add_rows,
    apply_sql_transformation,
    edit_metadata,
    join_data,
    partition_and_sample,
    remove_duplicate_rows,
)
from modules.builtin.model_selection import (
    cross_validate_model,
    filter_based_feature_selection,
    permutation_feature_importance,
    tune_model_hyperparameters,
)
from modules.builtin.python_script import execute_python_script
from modules.builtin.training import evaluate_model, score_model, train_model
from modules.builtin.transform import select_columns, split_data
from modules.builtin.trees_and_networks import (
    boosted_decision_tree_regression,
    decision_forest_regression,
    multiclass_boosted_decision_tree,
    multiclass_decision_forest,
    multiclass_neural_network,
    neural_network_regression,
    one_vs_all_multiclass,
    poisson_regression,
    two_class_averaged_perceptron,
    two_class_boosted_decision_tree,
    two_class_decision_forest,
    two_class_neural_network,
    two_class_support_vector_machine,
)
from modules.registry import ModuleRegistry

BUILTIN_MODULES = (
    sample_dataset,
    enter_data_manually,
    import_data,
    zip_dataset,
    export_data,
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
    filter_based_feature_selection,
    permutation_feature_importance,
    two_class_logistic_regression,
    two_class_boosted_decision_tree,
    two_class_decision_forest,
    two_class_support_vector_machine,
    two_class_neural_network,
    two_class_averaged_perceptron,
    multiclass_logistic_regression,
    multiclass_decision_forest,
    multiclass_boosted_decision_tree,
    multiclass_neural_network,
    one_vs_all_multiclass,
    linear_regression,
    boosted_decision_tree_regression,
    decision_forest_regression,
    poisson_regression,
    neural_network_regression,
    k_means_clustering,
    train_model,
    train_clustering_model,
    tune_model_hyperparameters,
    cross_validate_model,
    score_model,
    assign_data_to_clusters,
    evaluate_model,
    execute_python_script,
)


def register(registry: ModuleRegistry) -> None:
    for spec in BUILTIN_MODULES:
        registry.register(spec)

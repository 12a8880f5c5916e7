"""Metrics of two runs side by side: which value is better depends on the metric."""

from designer.pipelines.metric_comparison import MetricValue, better_of, evaluation_values, logged_values, metric_rows


def test_higher_is_better_for_scores_and_lower_for_errors():
    assert better_of("auc", 0.91, 0.95) == "b"
    assert better_of("accuracy", 0.9, 0.8) == "a"
    assert better_of("root_mean_squared_error", 1.5, 2.0) == "a"
    assert better_of("mean_absolute_error", 3.0, 2.0) == "b"
    assert better_of("f1_score", 0.5, 0.5) == "same"


def test_nothing_is_marked_when_a_side_is_missing_or_the_metric_has_no_direction():
    assert better_of("auc", None, 0.9) is None
    assert better_of("custom_thing", 1.0, 2.0) is None


def test_evaluation_values_take_every_number_of_each_scored_dataset():
    document = {
        "title": "Evaluation results",
        "evaluations": [
            {"task": "binary", "label": "target", "rows": 114, "auc": 0.98, "accuracy": 0.95, "positive_label": 1},
            {"task": "binary", "label": "target", "rows": 114, "auc": 0.97, "accuracy": 0.93, "positive_label": 1},
        ],
    }
    values = evaluation_values("evaluate", document)
    assert [(v.group, v.name, v.value) for v in values] == [
        ("scored dataset 1", "auc", 0.98),
        ("scored dataset 1", "accuracy", 0.95),
        ("scored dataset 2", "auc", 0.97),
        ("scored dataset 2", "accuracy", 0.93),
    ]
    single = evaluation_values("evaluate", {"evaluations": [{"task": "regression", "rows": 5, "r": True}]})
    assert single == []  # rows is a count, and a boolean is no metric


def test_rows_pair_values_by_source_node_group_and_name():
    a = [MetricValue("evaluation", "eval", "scored dataset", "auc", 0.9)]
    b = [
        MetricValue("evaluation", "eval", "scored dataset", "auc", 0.95),
        MetricValue("logged", "train", "", "auc", 0.5),
    ]
    rows = [row.to_json() for row in metric_rows(a, b)]
    assert rows == [
        {
            "source": "evaluation",
            "node": "eval",
            "group": "scored dataset",
            "name": "auc",
            "a": 0.9,
            "b": 0.95,
            "better": "b",
            "direction": "higher",
        },
        {
            "source": "logged",
            "node": "train",
            "group": "",
            "name": "auc",
            "a": None,
            "b": 0.5,
            "better": None,
            "direction": "higher",
        },
    ]


def test_logged_values_take_the_last_value_of_each_name():
    values = logged_values("train", [("loss", 0.9), ("auc", 0.7), ("loss", 0.3)])
    assert [(value.source, value.node, value.name, value.value) for value in values] == [
        ("logged", "train", "loss", 0.3),
        ("logged", "train", "auc", 0.7),
    ]

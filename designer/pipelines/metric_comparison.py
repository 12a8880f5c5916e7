"""Metrics of two runs side by side, the better value marked. Pure: no Django.

A metric comes from a *source* (`evaluation`: the JSON an Evaluate Model step wrote; `logged`:
what a step logged with log_metric) and is named by (source, node, group, name), where `group` tells
apart several values of one node (the first and second scored dataset of an evaluation).
Sources only produce `MetricValue`s, so adding one never changes this comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

# Metrics where a larger value is better, and where a smaller one is; others are not ranked.
HIGHER_IS_BETTER = frozenset(
    {
        "accuracy",
        "precision",
        "recall",
        "f1_score",
        "auc",
        "macro_precision",
        "macro_recall",
        "coefficient_of_determination",
    }
)
LOWER_IS_BETTER = frozenset(
    {
        "mean_absolute_error",
        "root_mean_squared_error",
        "relative_absolute_error",
        "relative_squared_error",
        "average_distance_to_center",
        "log_loss",
    }
)
# Counts and sizes describe the data, not how good a model is.
NOT_METRICS = frozenset({"rows", "clusters", "positive_label"})

Better = Literal["a", "b", "same"] | None


@dataclass(frozen=True)
class MetricValue:
    source: str
    node: str
    group: str
    name: str
    value: float

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.source, self.node, self.group, self.name)


@dataclass(frozen=True)
class MetricRow:
    source: str
    node: str
    group: str
    name: str
    a: float | None
    b: float | None
    better: Better

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "node": self.node,
            "group": self.group,
            "name": self.name,
            "a": self.a,
            "b": self.b,
            "better": self.better,
            "direction": direction(self.name),
        }


def direction(name: str) -> Literal["higher", "lower"] | None:
    if name in HIGHER_IS_BETTER:
        return "higher"
    if name in LOWER_IS_BETTER:
        return "lower"
    return None


def better_of(name: str, a: float | None, b: float | None) -> Better:
    """Which side is better for metric `name`; None when either is missing or the metric is not ranked."""
    way = direction(name)
    if a is None or b is None or way is None:
        return None
    if a == b:
        return "same"
    return "a" if (a > b) == (way == "higher") else "b"


def metric_rows(a: Iterable[MetricValue], b: Iterable[MetricValue]) -> list[MetricRow]:
    """One row per metric either side has, in the order first seen (a's, then b's own)."""
    a_values = {value.key: value.value for value in a}
    b_values = {value.key: value.value for value in b}
    keys = [*a_values, *(key for key in b_values if key not in a_values)]
    rows = []
    for key in keys:
        left, right = a_values.get(key), b_values.get(key)
        rows.append(MetricRow(*key, a=left, b=right, better=better_of(key[3], left, right)))
    return rows


def evaluation_values(node: str, document: Mapping[str, Any]) -> list[MetricValue]:
    """The numeric metrics of an Evaluate Model output (`{"evaluations": [...]}`), one group per scored dataset."""
    evaluations = document.get("evaluations")
    if not isinstance(evaluations, list):
        return []
    values = []
    for index, evaluation in enumerate(evaluations):
        if not isinstance(evaluation, Mapping):
            continue
        group = "scored dataset" if len(evaluations) == 1 else f"scored dataset {index + 1}"
        for name, value in evaluation.items():
            if _is_number(value) and name not in NOT_METRICS:
                values.append(MetricValue("evaluation", node, group, name, float(value)))
    return values


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def logged_values(node: str, metrics: Iterable[tuple[str, float]]) -> list[MetricValue]:
    """A step's logged metrics, (name, value) in the order logged: the last value of each name
    (the end of a series), in the order the names were first logged."""
    last: dict[str, float] = {}
    for name, value in metrics:
        last[name] = value
    return [MetricValue("logged", node, "", name, value) for name, value in last.items()]

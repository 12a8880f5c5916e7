"""The W3 work as plain functions: the Trellis modules and the plain script both call these."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

TARGET = "target"
TEST_FRACTION = 0.25


def feature_columns(table: pd.DataFrame) -> list[str]:
    return [column for column in table.columns if column != TARGET]


def generate(rows: int, features: int, missing: float, seed: int) -> pd.DataFrame:
    """A synthetic classification table with `missing` of the feature cells blanked out."""
    values, target = make_classification(
        n_samples=rows, n_features=features, n_informative=features // 2, random_state=seed
    )
    holes = np.random.default_rng(seed).random(values.shape) < missing
    values[holes] = np.nan
    table = pd.DataFrame(values, columns=[f"x{index}" for index in range(features)])
    table[TARGET] = target
    return table


def clean(table: pd.DataFrame) -> pd.DataFrame:
    """Fill missing features with the column median; drop rows without a target."""
    table = table.dropna(subset=[TARGET])
    columns = feature_columns(table)
    return table.fillna(table[columns].median())


def split(table: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    train, test = train_test_split(table, test_size=TEST_FRACTION, random_state=seed, stratify=table[TARGET])
    return train.reset_index(drop=True), test.reset_index(drop=True)


def fit_scaler(table: pd.DataFrame) -> tuple[StandardScaler, pd.DataFrame]:
    scaler = StandardScaler().fit(table[feature_columns(table)])
    return scaler, apply_scaler(scaler, table)


def apply_scaler(scaler: StandardScaler, table: pd.DataFrame) -> pd.DataFrame:
    columns = feature_columns(table)
    scaled = pd.DataFrame(scaler.transform(table[columns]), columns=columns)
    scaled[TARGET] = table[TARGET].to_numpy()
    return scaled


def train(table: pd.DataFrame) -> LogisticRegression:
    return LogisticRegression(max_iter=1000).fit(table[feature_columns(table)], table[TARGET])


def score(model: LogisticRegression, table: pd.DataFrame) -> pd.DataFrame:
    columns = feature_columns(table)
    scored = pd.DataFrame({TARGET: table[TARGET].to_numpy()})
    scored["probability"] = model.predict_proba(table[columns])[:, 1]
    scored["prediction"] = model.predict(table[columns])
    return scored


def evaluate(scored: pd.DataFrame) -> pd.DataFrame:
    truth, predicted = scored[TARGET], scored["prediction"]
    return pd.DataFrame(
        {
            "metric": ["accuracy", "f1", "roc_auc"],
            "value": [
                accuracy_score(truth, predicted),
                f1_score(truth, predicted),
                roc_auc_score(truth, scored["probability"]),
            ],
        }
    )


def pipeline(rows: int, features: int, missing: float, seed: int) -> pd.DataFrame:
    """All eight steps in one process, in memory: the plain-script baseline."""
    table = clean(generate(rows, features, missing, seed))
    train_table, test_table = split(table, seed)
    scaler, train_scaled = fit_scaler(train_table)
    test_scaled = apply_scaler(scaler, test_table)
    model = train(train_scaled)
    return evaluate(score(model, test_scaled))

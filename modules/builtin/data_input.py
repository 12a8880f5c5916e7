"""Data input modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from sklearn import datasets

from modules.spec import Parameter, Port, module

# Only loaders whose data ships inside scikit-learn's wheel: nothing is downloaded.
SAMPLE_LOADERS: dict[str, Callable[..., Any]] = {
    "iris": datasets.load_iris,
    "diabetes": datasets.load_diabetes,
    "digits": datasets.load_digits,
    "linnerud": datasets.load_linnerud,
    "wine": datasets.load_wine,
    "breast_cancer": datasets.load_breast_cancer,
}


@module(
    name="sample_dataset",
    version="1",
    display_name="Sample Dataset",
    category="Data Input and Output",
    description="One of the small datasets shipped with scikit-learn, as a table with its target column.",
    outputs=[Port("dataset", "table", "Dataset")],
    parameters=[Parameter("dataset", "choice", "Dataset", default="iris", choices=tuple(SAMPLE_LOADERS))],
)
def sample_dataset(dataset: str) -> dict[str, pd.DataFrame]:
    bunch = SAMPLE_LOADERS[dataset](as_frame=True)
    frame: pd.DataFrame = bunch.frame
    frame.columns = [str(column) for column in frame.columns]
    return {"dataset": frame.reset_index(drop=True)}

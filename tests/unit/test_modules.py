"""The built-in modules on real data, and the registry that serves their specs."""

import pandas as pd
import pytest

from modules.builtin.data_input import SAMPLE_LOADERS
from modules.registry import ModuleNotFound, ModulePackageError, build_registry
from modules.spec import ModuleError, ParameterError


@pytest.fixture(scope="module")
def registry():
    return build_registry()


@pytest.fixture(scope="module")
def iris(registry):
    return registry.get("sample_dataset", "1").run({}, {"dataset": "iris"})["dataset"]


@pytest.mark.parametrize(
    ("name", "rows", "target"),
    [
        ("iris", 150, "target"),
        ("diabetes", 442, "target"),
        ("digits", 1797, "target"),
        ("linnerud", 20, "Pulse"),
        ("wine", 178, "target"),
        ("breast_cancer", 569, "target"),
    ],
)
def test_each_sample_dataset_loads_from_the_installed_package(registry, name, rows, target):
    table = registry.get("sample_dataset").run({}, {"dataset": name})["dataset"]
    assert len(table) == rows
    assert target in table.columns
    assert all(isinstance(column, str) for column in table.columns)


def test_the_sample_dataset_choices_are_the_six_bundled_sets(registry):
    spec = registry.get("sample_dataset")
    assert spec.parameter("dataset").choices == tuple(SAMPLE_LOADERS)
    assert len(SAMPLE_LOADERS) == 6


def test_select_columns_keeps_the_named_columns_in_order(registry, iris):
    result = registry.get("select_columns").run({"dataset": iris}, {"columns": ["target", "sepal width (cm)"]})
    assert list(result["dataset"].columns) == ["target", "sepal width (cm)"]
    assert len(result["dataset"]) == 150


def test_select_columns_names_the_missing_column(registry, iris):
    with pytest.raises(ModuleError, match="no column\\(s\\) colour; it has: sepal length"):
        registry.get("select_columns").run({"dataset": iris}, {"columns": ["colour"]})


def test_split_data_divides_every_row_once_by_fraction(registry, iris):
    outputs = registry.get("split_data").run({"dataset": iris}, {"fraction": 0.8, "seed": 3})
    first, second = outputs["dataset1"], outputs["dataset2"]
    assert (len(first), len(second)) == (120, 30)
    together = pd.concat([first, second]).sort_values(list(iris.columns)).reset_index(drop=True)
    assert together.equals(iris.sort_values(list(iris.columns)).reset_index(drop=True))


def test_split_data_is_repeatable_for_a_seed_and_differs_across_seeds(registry, iris):
    split = registry.get("split_data")
    once = split.run({"dataset": iris}, {"fraction": 0.5, "seed": 7})["dataset1"]
    again = split.run({"dataset": iris}, {"fraction": 0.5, "seed": 7})["dataset1"]
    other = split.run({"dataset": iris}, {"fraction": 0.5, "seed": 8})["dataset1"]
    assert once.equals(again)
    assert not once.equals(other)


def test_split_data_stratified_keeps_class_proportions(registry, iris):
    outputs = registry.get("split_data").run({"dataset": iris}, {"fraction": 0.6, "stratify_column": "target"})
    assert outputs["dataset1"]["target"].value_counts().to_dict() == {0: 30, 1: 30, 2: 30}
    assert outputs["dataset2"]["target"].value_counts().to_dict() == {0: 20, 1: 20, 2: 20}


@pytest.mark.parametrize(("fraction", "sizes"), [(0.0, (0, 150)), (1.0, (150, 0))])
def test_split_data_edge_fractions_put_everything_on_one_side(registry, iris, fraction, sizes):
    outputs = registry.get("split_data").run({"dataset": iris}, {"fraction": fraction})
    assert (len(outputs["dataset1"]), len(outputs["dataset2"])) == sizes


def test_parameters_are_parsed_into_typed_values(registry):
    spec = registry.get("split_data")
    assert spec.parse_parameters({"fraction": "0.25", "seed": "4"}) == {
        "fraction": 0.25,
        "seed": 4,
        "stratify_column": None,
    }
    with pytest.raises(ParameterError, match=r"parameter .fraction.: must be at most 1\.0"):
        spec.parse_parameters({"fraction": 2})


def test_the_catalog_serves_specs_and_the_compatibility_table():
    catalog = build_registry(["tests.fixture_modules"]).catalog()
    split = next(spec for spec in catalog["modules"] if spec["name"] == "split_data")
    assert [port["name"] for port in split["outputs"]] == ["dataset1", "dataset2"]
    assert [p["name"] for p in split["parameters"]] == ["fraction", "seed", "stratify_column"]
    accepts = {t["name"]: t["accepts"] for t in catalog["port_types"]}
    assert accepts["table"] == ["table"] and accepts["text"] == ["text"]
    assert accepts["model"] == ["model"], "a trained model is not an untrained one, nor the reverse"


def test_lookups_name_what_is_missing(registry):
    with pytest.raises(ModuleNotFound, match="no module named 'tune_everything'"):
        registry.get("tune_everything")
    with pytest.raises(ModuleNotFound, match="module 'split_data' has no version 2 \\(known: 1\\)"):
        registry.get("split_data", "2")
    with pytest.raises(ModulePackageError, match=r"module package .nowhere\.modules. cannot be imported"):
        build_registry(["nowhere.modules"])

"""The cache key: what changes it, what does not, and how a change is explained."""

from dataclasses import replace

from modules.registry import build_registry
from runner.cache import KeyParts, code_hash, environment, explain, key_parts

DATASET = "a" * 64
OTHER_DATASET = "b" * 64


def split_parts(**parameters: object) -> KeyParts:
    spec = build_registry([]).get("split_data", "1")
    raw = {"fraction": 0.7, "seed": 1, **parameters}
    return key_parts(spec, raw, {"dataset": DATASET})


def test_the_same_step_has_the_same_key() -> None:
    assert split_parts().key == split_parts().key
    assert len(split_parts().key) == 64


def test_parameters_are_parsed_before_hashing() -> None:
    assert split_parts(fraction="0.7").key == split_parts().key
    assert split_parts(seed=1.0).key == split_parts().key


def test_every_part_changes_the_key() -> None:
    base = split_parts()
    changed = [
        split_parts(fraction=0.8),
        replace(base, inputs={"dataset": OTHER_DATASET}),
        replace(base, version="2"),
        replace(base, code="0" * 64),
        replace(base, environment={**base.environment, "pandas": "0.1"}),
    ]
    assert len({base.key, *(parts.key for parts in changed)}) == 6


def test_explain_names_each_changed_part() -> None:
    base = split_parts()
    assert explain(base, base) == []
    assert explain(base, split_parts(fraction=0.8)) == ["parameter fraction 0.7→0.8"]
    assert explain(base, replace(base, inputs={"dataset": OTHER_DATASET})) == ["input dataset changed"]
    assert explain(base, replace(base, version="2")) == ["module 1→2"]
    assert explain(base, replace(base, code="0" * 64)) == ["code changed"]
    assert explain(base, replace(base, environment={"python": "2.7"})) == ["environment changed"]


def test_explain_lists_several_changes_and_shows_text_plainly() -> None:
    base = split_parts()
    current = split_parts(fraction=0.9, stratify_column="target")
    assert explain(base, current) == ["parameter fraction 0.7→0.9", "parameter stratify_column unset→target"]


def test_parts_survive_a_round_trip_through_json() -> None:
    parts = split_parts()
    assert KeyParts.from_json(parts.to_json()) == parts
    assert KeyParts.from_json(parts.to_json()).key == parts.key


def test_code_and_environment_are_known() -> None:
    spec = build_registry([]).get("split_data", "1")
    assert len(code_hash(spec.source_file)) == 64
    assert code_hash("") == "unknown" and code_hash("/no/such/file.py") == "unknown"
    assert set(environment()) == {"python", "numpy", "pandas", "pyarrow", "scikit-learn"}


def test_a_bound_field_counts_with_the_runs_value() -> None:
    from designer.pipelines.bindings import binding

    spec = build_registry([]).get("split_data", "1")
    bound = {"fraction": binding("fraction"), "seed": 1}
    at_07 = key_parts(spec, bound, {"dataset": DATASET}, {"fraction": 0.7})
    at_09 = key_parts(spec, bound, {"dataset": DATASET}, {"fraction": 0.9})
    assert at_07.key == split_parts().key  # the same as writing 0.7 in the field
    assert at_09.key != at_07.key
    assert explain(at_07, at_09) == ["parameter fraction 0.7→0.9"]


def test_a_pipeline_value_changes_no_step_that_is_not_bound_to_it() -> None:
    spec = build_registry([]).get("split_data", "1")
    plain = {"fraction": 0.7, "seed": 1}
    assert key_parts(spec, plain, {"dataset": DATASET}, {"fraction": 0.9}).key == split_parts().key

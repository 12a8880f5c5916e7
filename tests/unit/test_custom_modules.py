"""Workspace modules: a spec in JSON plus code becomes a ModuleSpec, or a refusal naming the field."""

import multiprocessing
import os
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from modules.archives import make_archive
from modules.custom import SpecError, code_digest, spec_from_json
from modules.ports import BUILTIN_PORT_TYPES
from modules.spec import ModuleError
from runner.cache import key_parts

PORT_TYPES = [port_type.name for port_type in BUILTIN_PORT_TYPES]
CODE = textwrap.dedent(
    """
    def main(dataset, factor):
        dataset = dataset.copy()
        dataset["scaled"] = dataset["x"] * factor
        return dataset
    """
)


def spec_json(**changes):
    document = {
        "name": "scale",
        "version": "1",
        "display_name": "Scale",
        "category": "My Modules",
        "description": "Multiplies column x.",
        "inputs": [{"name": "dataset", "type": "table"}],
        "outputs": [{"name": "dataset", "type": "table", "label": "Scaled"}],
        "parameters": [{"name": "factor", "kind": "float", "default": 2, "minimum": 0}],
    }
    return document | changes


def test_a_spec_and_its_code_make_a_module_spec():
    spec = spec_from_json(spec_json(), CODE, PORT_TYPES)

    assert (spec.key, spec.display_name, spec.category) == ("scale@1", "Scale", "My Modules")
    assert spec.to_json()["inputs"] == [
        {"name": "dataset", "type": "table", "label": "Dataset", "description": "", "optional": False}
    ]
    assert spec.parameter("factor").default == 2.0 and spec.parameter("factor").minimum == 0
    assert spec.code_digest == code_digest(CODE, "main")
    assert key_parts(spec, {}, {}).code == spec.code_digest


def test_the_code_digest_follows_the_code_and_the_bundle():
    first = spec_from_json(spec_json(), CODE, PORT_TYPES)
    changed = spec_from_json(spec_json(), CODE + "\n# tweak\n", PORT_TYPES)
    bundled = spec_from_json(spec_json(), CODE, PORT_TYPES, bundle_digest="ab" * 32)
    assert len({first.code_digest, changed.code_digest, bundled.code_digest}) == 3


@pytest.mark.parametrize(
    ("changes", "code", "says"),
    [
        ({"name": "Scale Me"}, CODE, "name: 'Scale Me' must be lower-case"),
        ({"display_name": ""}, CODE, "display_name: must be non-empty text"),
        ({"category": "x" * 201}, CODE, "category: at most 200 characters"),
        ({"version": "2/../3"}, CODE, "version: '2/../3' must be up to 32 letters"),
        ({"inputs": [{"name": "dataset", "type": "spreadsheet"}]}, CODE, "inputs[0].type: unknown port type"),
        ({"inputs": [{"name": "class", "type": "table"}]}, CODE, "inputs[0].name: 'class' is not a usable name"),
        ({"outputs": []}, CODE, "outputs: a module needs at least one output port"),
        ({"parameters": [{"name": "factor", "kind": "decimal"}]}, CODE, "parameters[0].kind: 'decimal'"),
        ({"parameters": [{"name": "factor", "kind": "choice"}]}, CODE, "parameters[0].choices: a choice parameter"),
        (
            {"parameters": [{"name": "factor", "kind": "int", "default": 0.5}]},
            CODE,
            "parameters[0].default: must be a whole number",
        ),
        ({"parameters": [{"name": "factor", "kind": "int", "colour": 1}]}, CODE, "unknown key(s) colour"),
        ({}, "def main(dataset, factor)\n    pass", "code: syntax error on line 1"),
        ({}, "def run(dataset, factor):\n    pass", "code: defines no top-level function main"),
        ({}, "def main(dataset):\n    pass", "code: main() must take argument(s) factor"),
        (
            {"parameters": [{"name": "dataset", "kind": "int", "default": 1}]},
            "def main(dataset):\n    pass",
            "names used twice",
        ),
    ],
)
def test_a_spec_that_does_not_fit_is_refused_naming_the_field(changes, code, says):
    with pytest.raises(SpecError) as refused:
        spec_from_json(spec_json(**changes), code, PORT_TYPES)
    assert says in str(refused.value)


def test_an_entry_taking_keyword_arguments_accepts_every_port():
    spec = spec_from_json(spec_json(entry="run"), "def run(**arguments):\n    return arguments['dataset']", PORT_TYPES)
    assert spec.name == "scale"


def _run_in_fork(spec_args, inputs, parameters, folder):
    """Runs the module as a step would: in a forked process, in a folder of its own."""
    os.chdir(folder)
    spec = spec_from_json(*spec_args)
    try:
        return spec.run(inputs, parameters)
    except ModuleError as error:
        return {"error": str(error)}


def run_module(tmp_path: Path, spec_args, inputs, parameters=None):
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_run_in_fork, (spec_args, inputs, parameters or {}, str(tmp_path)))


def test_the_code_runs_with_its_ports_and_parsed_parameters(tmp_path):
    outputs = run_module(tmp_path, (spec_json(), CODE, PORT_TYPES), {"dataset": pd.DataFrame({"x": [1, 2]})})
    assert outputs["dataset"].to_dict("list") == {"x": [1, 2], "scaled": [2.0, 4.0]}


def test_the_bundle_is_importable_and_its_environment_is_cleared(tmp_path):
    helpers = {"helpers/__init__.py": "", "helpers/maths.py": "def triple(x):\n    return 3 * x\n"}
    bundle = make_archive(helpers)
    code = textwrap.dedent(
        """
        import os
        import pandas as pd
        from helpers.maths import triple

        def main(dataset, factor):
            return {"dataset": pd.DataFrame({"y": [triple(v) for v in dataset["x"]], "home": os.environ["HOME"]})}
        """
    )
    folder = tmp_path / "step"
    folder.mkdir()
    os.environ["TRELLIS_SECRET_FOR_TEST"] = "hidden"
    try:
        outputs = run_module(folder, (spec_json(), code, PORT_TYPES, bundle), {"dataset": pd.DataFrame({"x": [1]})})
    finally:
        del os.environ["TRELLIS_SECRET_FOR_TEST"]
    assert outputs["dataset"].to_dict("list") == {"y": [3], "home": ["/tmp"]}
    assert (folder / "script_bundle" / "helpers" / "maths.py").is_file()


def test_an_error_in_the_code_names_its_own_line(tmp_path):
    code = "def main(dataset, factor):\n    return dataset['missing']\n"
    outputs = run_module(tmp_path, (spec_json(), code, PORT_TYPES), {"dataset": pd.DataFrame({"x": [1]})})
    assert outputs["error"].startswith("main() failed: KeyError: 'missing'")
    assert 'File "scale.py", line 2, in main' in outputs["error"]


def test_a_wrong_return_value_says_what_was_expected(tmp_path):
    spec = spec_json(outputs=[{"name": "a", "type": "table"}, {"name": "b", "type": "table"}])
    code = "def main(dataset, factor):\n    return dataset\n"
    outputs = run_module(tmp_path, (spec, code, PORT_TYPES), {"dataset": pd.DataFrame({"x": [1]})})
    assert outputs["error"] == "main() must return a dict by output port, or a tuple of 2 values"

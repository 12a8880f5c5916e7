"""Execute Python Script, run as the runner runs it: in a process of its own, forked."""

import multiprocessing
import textwrap

import pandas as pd
import pytest

from modules.registry import build_registry
from modules.spec import ModuleError

pytestmark = pytest.mark.timeout(60)


def _run_script(script: str, dataframe1: pd.DataFrame | None) -> dict:
    inputs = {} if dataframe1 is None else {"dataframe1": dataframe1}
    try:
        return build_registry().get("execute_python_script").run(inputs, {"script": textwrap.dedent(script)})
    except ModuleError as error:
        return {"error": str(error)}


def run_script(script: str, dataframe1: pd.DataFrame | None = None) -> dict:
    """The script changes its process (environment, pandas): keep that away from the test process."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply(_run_script, (script, dataframe1))
    if "error" in result:
        raise ModuleError(result["error"])
    return result


def test_a_script_transforms_its_input():
    outputs = run_script(
        """
        def azureml_main(dataframe1=None, dataframe2=None):
            dataframe1["double"] = dataframe1["x"] * 2
            return dataframe1, dataframe1.describe()
        """,
        pd.DataFrame({"x": [1, 2]}),
    )
    assert outputs["result_dataset"]["double"].tolist() == [2, 4]
    assert "mean" in outputs["python_device"].index


def test_a_script_written_for_the_azure_designer_runs_unchanged():
    outputs = run_script(
        """
        import pandas as pd
        from azureml.core import Run

        def azureml_main(dataframe1 = None, dataframe2 = None):
            run = Run.get_context()
            rows = dataframe1.append({"x": 3}, ignore_index=True)
            names = [name for name, _ in rows.iteritems()]
            run.log("rows", len(rows))
            return pd.DataFrame({"names": names, "count": len(rows)}),
        """,
        pd.DataFrame({"x": [1, 2]}),
    )
    assert outputs["result_dataset"].to_dict("list") == {"names": ["x"], "count": [3]}
    assert outputs["python_device"].empty


def test_the_script_sees_a_cleared_environment(monkeypatch):
    monkeypatch.setenv("TRELLIS_SECRET_KEY", "not for scripts")
    outputs = run_script(
        """
        import os, pandas as pd
        def azureml_main(dataframe1=None, dataframe2=None):
            return pd.DataFrame({"name": sorted(os.environ)}),
        """
    )
    assert outputs["result_dataset"]["name"].tolist() == ["HOME", "LANG", "PATH"]


@pytest.mark.parametrize(
    ("script", "message"),
    [
        (
            "def azureml_main(dataframe1=None, dataframe2=None):\n    return 1/0\n",
            "ZeroDivisionError: division by zero",
        ),
        ("def azureml_main(:\n", "syntax error on line 1"),
        ("x = 1\n", "must define a function azureml_main"),
        ("from azureml.dataprep import api\n", "azureml.dataprep is not available in Trellis"),
        ("def azureml_main(dataframe1=None, dataframe2=None):\n    return 'text'\n", "returned a str as output 1"),
    ],
)
def test_script_errors_say_what_and_where(script, message):
    with pytest.raises(ModuleError, match=message):
        run_script(script)


def test_the_traceback_points_at_the_script_line():
    with pytest.raises(ModuleError, match=r'File "azureml_main.py", line 3, in azureml_main'):
        run_script("def azureml_main(dataframe1=None, dataframe2=None):\n    x = 1\n    return x.missing\n")

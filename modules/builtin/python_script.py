"""Execute Python Script: the user's own pandas code, as in the Azure ML designer.

The script defines `azureml_main(dataframe1=None, dataframe2=None)` and returns up to two
DataFrames; a zip on the third input (the script bundle) is extracted beside it and importable.
It runs in the step's own forked process, which this module prepares first:
a cleared environment (the worker's secrets are not the script's business), pandas methods
that designer scripts still use, and an `azureml.core` whose `Run.get_context().log` logs metrics.
The step API (log_metric, log_table, log_image, report_progress; modules/step_api.py) is in the
script's namespace, and `from trellis import log_metric` works too.
"""

from __future__ import annotations

import linecache
import os
import traceback
from typing import Any

import pandas as pd

from modules.script_bundle import install_bundle
from modules.script_compat import install_azureml_shim, restore_removed_pandas_methods
from modules.spec import ModuleError, Parameter, Port, module
from modules.step_api import log_metric, step_api_namespace

SCRIPT_NAME = "azureml_main.py"
ENTRY_POINT = "azureml_main"
SCRIPT_ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp"}
DEFAULT_SCRIPT = """import pandas as pd

# The entry point: up to two DataFrames in, up to two DataFrames out.
def azureml_main(dataframe1=None, dataframe2=None):
    print(f"Input 1 has {0 if dataframe1 is None else len(dataframe1)} rows")
    return dataframe1,
"""


def prepare_script_process(log_metric: Any) -> None:
    """Make this process a script's: only ever called in a step's own process."""
    os.environ.clear()
    os.environ.update(SCRIPT_ENVIRONMENT)
    restore_removed_pandas_methods()
    install_azureml_shim(log_metric)


def _entry_point(script: str) -> Any:
    linecache.cache[SCRIPT_NAME] = (len(script), None, script.splitlines(True), SCRIPT_NAME)
    namespace: dict[str, Any] = {"__name__": "azureml_main_script", **step_api_namespace()}
    try:
        exec(compile(script, SCRIPT_NAME, "exec"), namespace)
    except SyntaxError as error:
        raise ModuleError(f"the script has a syntax error on line {error.lineno}: {error.msg}") from None
    except Exception as error:
        raise ModuleError(f"the script failed while loading: {_user_traceback(error)}") from None
    entry = namespace.get(ENTRY_POINT)
    if not callable(entry):
        raise ModuleError(f"the script must define a function {ENTRY_POINT}(dataframe1=None, dataframe2=None)")
    return entry


def _user_traceback(error: BaseException) -> str:
    """The traceback from the script's own lines on, which is what its author can act on."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == SCRIPT_NAME]
    where = "".join(traceback.format_list(frames))
    return f"{type(error).__name__}: {error}\n{where}".rstrip()


def _outputs(result: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    values = list(result) if isinstance(result, tuple | list) else [result]
    if len(values) > 2:
        raise ModuleError(f"{ENTRY_POINT} returned {len(values)} values; it may return at most two DataFrames")
    values += [None] * (2 - len(values))
    for index, value in enumerate(values, start=1):
        if value is not None and not isinstance(value, pd.DataFrame):
            raise ModuleError(f"{ENTRY_POINT} returned a {type(value).__name__} as output {index}; return DataFrames")
    first, second = (value if value is not None else pd.DataFrame() for value in values)
    return first, second


@module(
    name="execute_python_script",
    version="1",
    display_name="Execute Python Script",
    category="Python Language",
    description="Run your own Python (pandas) code: azureml_main(dataframe1, dataframe2) returns up to two tables.",
    inputs=[
        Port("dataframe1", "table", "Dataframe1", optional=True),
        Port("dataframe2", "table", "Dataframe2", optional=True),
        Port(
            "script_bundle",
            "zip",
            "Script bundle",
            "A zip of helper code, extracted into the script's folder and importable: upload a .zip "
            "as a workspace dataset and connect its Zip Dataset node here.",
            optional=True,
        ),
    ],
    outputs=[Port("result_dataset", "table", "Result dataset"), Port("python_device", "table", "Python device")],
    parameters=[
        Parameter(
            "script",
            "text",
            "Python script",
            default=DEFAULT_SCRIPT,
            description=(
                "The script may call log_metric(name, value, step=None), log_table(name, dataframe), "
                "log_image(name, png_bytes_or_figure) and report_progress(done, total) without an import "
                "(or from trellis import ...); Run.get_context().log(name, value) logs a metric too."
            ),
        )
    ],
    runs_user_code=True,
)
def execute_python_script(
    script: str,
    dataframe1: pd.DataFrame | None = None,
    dataframe2: pd.DataFrame | None = None,
    script_bundle: bytes | None = None,
) -> dict[str, Any]:
    prepare_script_process(log_metric)
    if script_bundle is not None:
        install_bundle(script_bundle)
    entry = _entry_point(script)
    try:
        result = entry(dataframe1, dataframe2)
    except Exception as error:
        raise ModuleError(f"the script failed: {_user_traceback(error)}") from None
    first, second = _outputs(result)
    return {"result_dataset": first, "python_device": second}

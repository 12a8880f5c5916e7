"""Celery tasks: thin translators from a message to a plain function.

Importing pandas and scikit-learn here (through the built-in modules) warms every worker
process once; each step then runs in a child forked from that warm process.
"""

from typing import Any

import modules.builtin  # noqa: F401 - imported for its heavy imports, see above
import runner.celery_hooks  # noqa: F401 - the worker's heartbeat and reaper
from designer.celery import app
from runner.execute import step_execute


# `inputs`: sent by earlier versions (a step's input references are on its row now); ignored.
@app.task(name="runner.execute_step", bind=True)
def execute_step(task: Any, step_id: int, inputs: Any = None) -> None:
    step_execute(step_id, worker=task.request.hostname or "")

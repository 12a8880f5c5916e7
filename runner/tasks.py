"""Celery tasks: thin translators from a message to a plain function.

Importing pandas and scikit-learn here (through the built-in modules) warms every worker
process once; each step then runs in a child forked from that warm process.
"""

import modules.builtin  # noqa: F401 - imported for its heavy imports, see above
from designer.celery import app
from runner.execute import step_execute


@app.task(name="runner.execute_step")
def execute_step(step_id: int) -> None:
    step_execute(step_id)

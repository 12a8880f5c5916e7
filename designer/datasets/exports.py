"""Export Data to a dataset: the runner tells us of each completed step; an export becomes a version.

The step itself only wrote its table to the store (step processes never touch the database); the
worker calls `datasets_step_completed` inside the transaction that marks the step completed, so
the version appears exactly when the step does.
"""

import logging

from django.db import transaction
from django.db.models import TextField, Value
from django.db.models.functions import Concat

from designer.datasets.datasets import dataset_export_record
from designer.pipelines.catalog import module_registry
from modules.builtin.import_export import TO_DATASET, export_data
from modules.spec import ParameterError
from runner.models import StepRun
from runner.versions import node_of

logger = logging.getLogger(__name__)


def exports_to_dataset(step: StepRun) -> bool:
    """Whether the step may record a dataset version once completed (its completion then needs
    a transaction that holds both)."""
    return step.module == export_data.name


def datasets_step_completed(step: StepRun) -> None:
    """Record the table of a completed Export Data step (destination: dataset) as a dataset version."""
    if not exports_to_dataset(step):
        return
    try:
        spec = module_registry().get(step.module, step.module_version)
        parameters = spec.parse_parameters(node_of(step.run.version, step.node_id).get("parameters", {}))
    except (LookupError, ParameterError):
        return  # the step would not have completed with parameters it could not read
    if parameters["destination"] != TO_DATASET:
        return
    name = parameters["dataset_name"].strip()
    try:
        with transaction.atomic():  # a savepoint: a failed export must not undo the step's completion
            version, created = dataset_export_record(step, name)
    except Exception as error:
        logger.exception("step %s could not export to dataset %r", step, name)
        _log_note(step, f"[the table was not recorded as a version of dataset {name!r}: {error}]")
        return
    what = "a new version" if created else "the version that already held this table"
    _log_note(step, f"[dataset {name!r}: {what}, version {version.number}]")


def _log_note(step: StepRun, note: str) -> None:
    """Append a line to the step's stored log, where the person looking at the step will read it."""
    StepRun.objects.filter(pk=step.pk).update(log=Concat("log", Value(f"\n{note}\n"), output_field=TextField()))

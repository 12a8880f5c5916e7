"""`manage.py run_pipeline PATH.json [--wait]`: run a graph file from the command line.

Exit status: 0 the run completed (or, without --wait, was submitted), 1 it failed or was
canceled, 2 the file is not a valid pipeline.
"""

import subprocess
import time
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from designer.pipelines.catalog import module_registry
from designer.pipelines.drafts import InvalidGraph, pipeline_create, version_record
from designer.pipelines.graph import GraphFormatError, load_graph_file, read_graph, validate
from designer.pipelines.models import Pipeline
from designer.workspaces.access import workspace_create
from designer.workspaces.models import Workspace
from runner import plan as states
from runner.embedded import live_worker_pid, start_worker, stop_worker
from runner.models import RUN_ACTIVE, Run, RunStatus, StepRun
from runner.options import RunOptionError, RunOptions
from runner.plan import Plan
from runner.submit import run_submit

POLL_SECONDS = 0.1
FINISHED_STEP = (states.COMPLETED, states.FAILED, states.SKIPPED, states.CACHED, states.CANCELED)


class Command(BaseCommand):
    help = "Validate a pipeline graph file, record it as a version and run it."
    requires_system_checks: list[str] = []  # a CLI run needs no URL or admin checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a graph JSON file")
        parser.add_argument("--wait", action="store_true", help="print each step as it finishes, then the outcome")
        parser.add_argument("--workspace", default="Demo", help="workspace name (created if missing)")
        parser.add_argument("--pipeline", default=None, help="pipeline name (default: the file name without .json)")
        parser.add_argument("--up-to", dest="up_to", metavar="NODE", help="run only NODE and its ancestors")
        parser.add_argument("--from", dest="from_node", metavar="NODE", help="run NODE and everything downstream again")
        parser.add_argument("--regenerate", action="store_true", help="run every step; reuse nothing from the cache")
        parser.add_argument(
            "--continue-on-failure", action="store_true", help="after a failure, let independent branches finish"
        )
        parser.add_argument(
            "--param",
            dest="params",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="set a pipeline parameter (repeatable); defaults fill the rest",
        )

    def handle(self, *args: Any, path: Path, wait: bool, workspace: str, pipeline: str | None, **options: Any) -> None:
        document = self._read_valid(path)
        values = self._parameter_values(options["params"])
        run_options = RunOptions(
            regenerate=options["regenerate"],
            up_to=options["up_to"],
            from_node=options["from_node"],
            continue_on_failure=options["continue_on_failure"],
        )
        try:
            run_options.check(Plan.from_graph(read_graph(document)))
        except RunOptionError as error:
            self._invalid([str(error)])
        # Only the embedded (filesystem) broker is ours to serve; a server broker has its own workers.
        embedded = settings.CELERY_BROKER_URL.startswith("filesystem://")
        worker = start_worker() if embedded and live_worker_pid() is None else None  # warms up while we migrate
        try:
            _migrate_embedded_database()
            user = get_user_model().objects.filter(username="demo").first()
            target = _pipeline_ensure(workspace, pipeline or path.stem, user, document)
            try:  # the workspace's own checks: its modules and compute targets
                run = run_submit(version_record(target, document, user), user, run_options, values)
            except InvalidGraph as error:
                self._invalid([str(problem) for problem in error.problems])
            except RunOptionError as error:
                self._invalid([str(error)])
            if not wait:
                self.stdout.write(str(run.number))
                self.stdout.flush()
            if wait or worker is not None:  # our own worker must stay until the run is done
                run = self._follow(run, worker, quiet=not wait)
        finally:
            if worker is not None:
                # Nothing of ours is left for it to do: let its warm shutdown (seconds) go on without us.
                stop_worker(worker, wait=False)
        if wait:
            raise SystemExit(0 if run.status == RunStatus.COMPLETED else 1)

    def _read_valid(self, path: Path) -> dict[str, Any]:
        try:
            graph = load_graph_file(path)
        except (GraphFormatError, OSError) as error:
            lines = error.errors if isinstance(error, GraphFormatError) else [str(error)]
            self._invalid(lines)
        problems = validate(graph, module_registry())
        # A module this installation does not know may be the workspace's own: checked once that is loaded.
        if any(problem.code != "unknown_module" for problem in problems):
            self._invalid([str(problem) for problem in problems])
        return graph.to_json()

    def _parameter_values(self, pairs: list[str]) -> dict[str, str]:
        """`--param name=value` pairs by name; the pipeline's parameter types parse the values."""
        values = {}
        for pair in pairs:
            name, equals, value = pair.partition("=")
            if not equals or not name.strip():
                self._invalid([f"--param {pair!r}: expected NAME=VALUE"])
            values[name.strip()] = value
        return values

    def _invalid(self, lines: list[str]) -> NoReturn:
        for line in lines:
            self.stderr.write(line)
        raise SystemExit(2)

    def _follow(self, run: Run, worker: subprocess.Popen[bytes] | None, quiet: bool) -> Run:
        """Poll until the run finishes, printing each finished step once (unless quiet)."""
        reported: set[int] = set()
        while True:
            run.refresh_from_db()
            finished = run.steps.filter(status__in=FINISHED_STEP).exclude(pk__in=reported).order_by("finished_at")
            for step in finished:
                reported.add(step.pk)
                if not quiet:
                    self.stdout.write(step_line(step))
            if run.status not in RUN_ACTIVE:
                break
            if worker is not None and worker.poll() is not None:
                log = settings.DATA_DIR / "worker.log"
                self.stderr.write(f"the worker stopped (exit code {worker.returncode}); see {log}")
                raise SystemExit(1)
            time.sleep(POLL_SECONDS)
        if not quiet:
            self.stdout.write(f"run {run.number} {run.status} in {_seconds(run.created_at, run.finished_at):.2f}s")
            if run.error:
                self.stderr.write(run.error)
        return run


def step_line(step: StepRun) -> str:
    """`step <node> <module>@<version> <status> <seconds>s (<reason>)`; a cached step's reason
    already starts with "cached", so it takes the status's place."""
    seconds = f"{_seconds(step.started_at, step.finished_at):.2f}s"
    prefix = f"step {step.node_id} {step.module}@{step.module_version}"
    if step.status == states.CACHED and step.reason:
        return f"{prefix} {step.reason} {seconds}"
    return f"{prefix} {step.status} {seconds}" + (f" ({step.reason})" if step.reason else "")


def _migrate_embedded_database() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        return  # a server database is migrated by its deployment
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def _pipeline_ensure(workspace_name: str, name: str, user: Any, document: dict[str, Any]) -> Pipeline:
    workspace = Workspace.objects.filter(name=workspace_name).order_by("id").first()
    if workspace is None:
        workspace = workspace_create(workspace_name, user) if user else Workspace.objects.create(name=workspace_name)
    pipeline = Pipeline.objects.live().filter(workspace=workspace, name=name).order_by("id").first()
    return pipeline or pipeline_create(workspace, name, user, graph=document)


def _seconds(start: Any, end: Any) -> float:
    return (end - start).total_seconds() if start and end else 0.0

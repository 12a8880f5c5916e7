"""`manage.py serve`: the embedded Trellis, with no servers to install.

Migrates the database, makes the demo login once, puts back in the queue the steps a previous
instance was running when it stopped (its worker stopped with it), starts a Celery worker child
process on the filesystem broker (and starts it again should it die) and a thread that collects
artifact garbage periodically, and serves HTTP and websockets with daphne until Ctrl-C, which
stops them all.
"""

import json
import secrets
import socket
from typing import Any

from daphne.cli import CommandLineInterface
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from designer.embedded.demo import demo_ensure
from runner.embedded import EmbeddedWorker
from runner.periodic import collect_periodically
from runner.reaper import reap


class Command(BaseCommand):
    help = "Run Trellis embedded: web server and a worker child process, no external services."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        _check_port_free(host, port)
        call_command("migrate", interactive=False, verbosity=0)
        login = demo_ensure()
        reaped = reap()
        if reaped.steps_requeued or reaped.tasks_resent:
            self.stdout.write(f"Resuming the runs the last server left unfinished: {reaped}.")
        self._write_live_endpoint(host, port)
        worker = EmbeddedWorker()
        collector = collect_periodically()  # artifact garbage, every TRELLIS_COLLECT_INTERVAL_SECONDS
        url = f"http://{host}:{port}/"
        self.stdout.write(f"Trellis is running at {url}\nLog in as {login.username} / {login.password}")
        self.stdout.write(f"Data folder: {settings.DATA_DIR}. Press Ctrl-C to stop.")
        self.stdout.flush()
        try:
            CommandLineInterface().run(["--bind", host, "--port", str(port), "designer.asgi:application"])
        finally:
            if collector is not None:
                collector.stop()
            worker.stop()
            settings.LIVE_ENDPOINT_FILE.unlink(missing_ok=True)

    def _write_live_endpoint(self, host: str, port: int) -> None:
        """Tell workers where to post live events, with a token only this data folder knows."""
        endpoint = {"url": f"http://{host}:{port}/internal/events/", "token": secrets.token_urlsafe(32)}
        settings.LIVE_ENDPOINT_FILE.write_text(json.dumps(endpoint))
        settings.LIVE_ENDPOINT_FILE.chmod(0o600)


def _check_port_free(host: str, port: int) -> None:
    """Fail before starting anything, rather than leave a worker running behind a server that cannot listen."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as error:
            raise CommandError(
                f"cannot listen on {host}:{port} ({error.strerror}); choose another with --port"
            ) from None

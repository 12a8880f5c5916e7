"""`manage.py collect_artifacts [--dry-run]`: apply the retention rules, then delete unreferenced artifacts.

Production runs it from cron or a systemd timer (docs/production.md); the embedded server runs
it every TRELLIS_COLLECT_INTERVAL_SECONDS.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from runner.housekeeping import CollectReport, artifacts_collect


class Command(BaseCommand):
    help = "Release the outputs the retention rules no longer keep and delete unreferenced artifact files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="change nothing; print what would go")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        for line in report_lines(artifacts_collect(dry_run=dry_run)):
            self.stdout.write(line)


def report_lines(report: CollectReport) -> list[str]:
    """What a collection did (or, in a dry run, would do), in counts and bytes."""
    deleted = report.deleted
    released, delete, keep = (
        ("Would release", "Would delete", "Would keep") if report.dry_run else ("Released", "Deleted", "Kept")
    )
    lines = ["Dry run: nothing was changed."] if report.dry_run else []
    if report.released_steps:
        lines.append(
            f"{released} the outputs of {counted(report.released_steps, 'step')} in "
            f"{counted(report.released_runs, 'run')} ({human_bytes(report.releasable_bytes)} nothing else refers to, "
            f"deleted once the grace period of {report.grace_seconds} s has passed)."
        )
    else:
        lines.append(f"{released} no outputs: the retention rules keep every run's.")
    lines += [
        f"{delete} {counted(deleted.files, 'artifact file')} ({human_bytes(deleted.bytes)}; "
        f"{deleted.unrecorded} without a record), {counted(deleted.temporary, 'temporary file')} "
        f"({human_bytes(deleted.temporary_bytes)}) and {counted(deleted.records, 'record')}.",
        f"{keep} {counted(report.kept_files, 'file')} ({human_bytes(report.kept_bytes)}); "
        f"{counted(report.young, 'unreferenced file')} younger than the grace period.",
    ]
    if report.missing:
        lines.append(f"Warning: {counted(report.missing, 'referenced artifact')} missing from the store.")
    return lines


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def human_bytes(count: int) -> str:
    """1234567 -> "1.2 MB" (powers of 1000, as disks are sold)."""
    if count < 1000:
        return f"{count} byte" if count == 1 else f"{count} bytes"
    size = float(count)
    for unit in ("kB", "MB", "GB", "TB"):
        size /= 1000
        if size < 1000 or unit == "TB":
            break
    return f"{size:.1f} {unit}"

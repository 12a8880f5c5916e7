"""The retention rules: which runs keep their outputs. Pure: no Django, no database.

A run keeps its outputs while it is active, while a user pins it with "keep", while it is one of
the last `keep_last` runs of its pipeline, or for `keep_days` days after it finished. The outputs
of every other run are released (runner/release.py), and then their files can be collected
(runner/housekeeping.py). Only artifact bytes go: a run's record, status and logs stay.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetentionRules:
    keep_days: int  # outputs of every run are kept this many days after it finished
    keep_last: int  # and those of the last this-many runs of each pipeline always

    def to_json(self) -> dict[str, int]:
        return {"keep_days": self.keep_days, "keep_last": self.keep_last}

    def overridden(self, keep_days: int | None, keep_last: int | None) -> RetentionRules:
        """These rules with a workspace's override applied; None keeps the default."""
        return RetentionRules(
            keep_days=self.keep_days if keep_days is None else keep_days,
            keep_last=self.keep_last if keep_last is None else keep_last,
        )


@dataclass(frozen=True)
class RunFacts:
    """What the rules look at in a run."""

    run_id: int
    pipeline_id: int
    number: int
    finished_at: datetime | None  # None while it is active
    active: bool
    pinned: bool


def runs_to_release(runs: Iterable[RunFacts], rules: RetentionRules, now: datetime) -> set[int]:
    """The ids of the runs no rule keeps."""
    runs = list(runs)
    latest = _latest_of_each_pipeline(runs, rules.keep_last)
    oldest_kept = now - timedelta(days=rules.keep_days)
    return {
        run.run_id
        for run in runs
        if not (run.active or run.pinned or run.run_id in latest or _finished_after(run, oldest_kept))
    }


def _latest_of_each_pipeline(runs: list[RunFacts], count: int) -> set[int]:
    by_pipeline: dict[int, list[RunFacts]] = defaultdict(list)
    for run in runs:
        by_pipeline[run.pipeline_id].append(run)
    latest: set[int] = set()
    for of_pipeline in by_pipeline.values():
        newest_first = sorted(of_pipeline, key=lambda run: run.number, reverse=True)
        latest.update(run.run_id for run in newest_first[:count])
    return latest


def _finished_after(run: RunFacts, moment: datetime) -> bool:
    return run.finished_at is None or run.finished_at > moment

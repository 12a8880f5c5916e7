"""The retention rules as a pure function: which runs keep their outputs."""

from datetime import UTC, datetime, timedelta

from runner.retention import RetentionRules, RunFacts, runs_to_release

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def finished(run_id: int, days_ago: float, pipeline: int = 1, number: int | None = None, pinned: bool = False):
    moment = NOW - timedelta(days=days_ago)
    return RunFacts(run_id, pipeline, number or run_id, moment, active=False, pinned=pinned)


def test_runs_finished_within_the_days_are_kept_and_older_ones_released():
    runs = [finished(1, 40), finished(2, 31), finished(3, 29), finished(4, 1)]
    assert runs_to_release(runs, RetentionRules(keep_days=30, keep_last=0), NOW) == {1, 2}


def test_the_last_runs_of_each_pipeline_are_kept_however_old():
    runs = [finished(1, 90, pipeline=1), finished(2, 80, pipeline=1), finished(3, 70, pipeline=1)]
    runs += [finished(4, 90, pipeline=2, number=1), finished(5, 85, pipeline=2, number=2)]
    assert runs_to_release(runs, RetentionRules(keep_days=30, keep_last=2), NOW) == {1}


def test_the_last_runs_are_counted_by_run_number_not_by_finish_time():
    # Run 2 finished before run 1 (it was shorter); run 2 is still the later run.
    runs = [finished(1, 50, number=1), finished(2, 60, number=2)]
    assert runs_to_release(runs, RetentionRules(keep_days=0, keep_last=1), NOW) == {1}


def test_pinned_and_active_runs_are_never_released():
    active = RunFacts(3, 1, 3, None, active=True, pinned=False)
    runs = [finished(1, 400, pinned=True), finished(2, 400), active]
    assert runs_to_release(runs, RetentionRules(keep_days=0, keep_last=0), NOW) == {2}


def test_zero_days_and_zero_last_runs_release_every_finished_run():
    runs = [finished(1, 0.001), finished(2, 0.5)]
    assert runs_to_release(runs, RetentionRules(keep_days=0, keep_last=0), NOW) == {1, 2}


def test_an_override_replaces_only_the_values_it_sets():
    defaults = RetentionRules(keep_days=30, keep_last=5)
    assert defaults.overridden(None, None) == defaults
    assert defaults.overridden(7, None) == RetentionRules(keep_days=7, keep_last=5)
    assert defaults.overridden(None, 0) == RetentionRules(keep_days=30, keep_last=0)
    assert defaults.overridden(7, 1).to_json() == {"keep_days": 7, "keep_last": 1}

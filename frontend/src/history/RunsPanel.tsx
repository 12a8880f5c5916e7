/** The pipeline's runs: status, who, when, how long, which version and how; open one, or pick two to compare. */
import { useState } from 'react';
import { useFetched } from '../api/useFetched';
import { describeValues } from '../parameters/pipelineParameters';
import { useRunStore } from '../run/runStore';
import { describeOptions, formatDuration, formatWhen } from './format';
import { HistoryPanelFrame } from './HistoryPanelFrame';
import { HistoryRow, pickTwo } from './HistoryRow';
import { useHistoryStore } from './historyStore';
import type { RunListItem } from './types';

function RunTitle({ run }: { run: RunListItem }) {
  const options = describeOptions(run.options);
  const values = describeValues(run.parameters);
  return (
    <>
      <strong>#{run.number}</strong>{' '}
      <span className={`run-text run-${run.status}`} data-testid="run-row-status">
        {run.status}
      </span>{' '}
      · version {run.version}
      {options && <span className="run-options"> · {options}</span>}
      {run.keep && (
        <span className="run-kept" data-testid="run-row-kept" title="Pinned: retention never releases its outputs">
          {' '}
          · pinned
        </span>
      )}
      {values && (
        <span className="run-parameters" data-testid="run-row-parameters">
          {' '}
          · {values}
        </span>
      )}
    </>
  );
}

export function RunsPanel({
  pipelineId,
  go,
  current,
}: {
  pipelineId: number;
  go: (path: string) => void;
  current?: number;
}) {
  const changes = useHistoryStore((state) => state.changes);
  // A run starting or finishing on this page changes the list.
  const watched = useRunStore((state) => (state.run ? `${state.run.id}:${state.run.status}` : ''));
  const runs = useFetched<RunListItem[]>(`/api/pipelines/${pipelineId}/runs/`, `${changes}/${watched}`);
  const [picked, setPicked] = useState<RunListItem[]>([]);
  const pick = (run: RunListItem, on: boolean) => setPicked((list) => pickTwo(list, run, on, (a, b) => a.id === b.id));
  const [first, second] = [...picked].sort((a, b) => a.number - b.number);
  return (
    <HistoryPanelFrame title="Runs" testId="runs-panel">
      <div className="history-actions">
        <button
          type="button"
          data-testid="compare-runs"
          disabled={!first || !second}
          onClick={() => first && second && go(`/pipelines/${pipelineId}/runs/${first.id}/compare/${second.id}/`)}
        >
          Compare picked
        </button>
        <span className="muted">{first && second ? `#${first.number} and #${second.number}` : 'Pick two runs'}</span>
      </div>
      {runs.state === 'loading' && <p className="muted">Loading…</p>}
      {runs.state === 'error' && <p className="error-text">{runs.message}</p>}
      {runs.state === 'ready' && runs.value.length === 0 && <p className="muted">This pipeline has not run yet.</p>}
      {runs.state === 'ready' && (
        <ul className="history-list">
          {runs.value.map((run) => (
            <HistoryRow
              key={run.id}
              testId={`run-row-${run.number}`}
              what={`run ${run.number}`}
              title={<RunTitle run={run} />}
              meta={`${run.created_by ?? 'someone'} · ${formatWhen(run.created_at)} · ${formatDuration(run.duration_seconds)}`}
              current={run.id === current}
              picked={picked.some((other) => other.id === run.id)}
              onPick={(on) => pick(run, on)}
              onOpen={() => go(`/pipelines/${pipelineId}/runs/${run.id}/`)}
            />
          ))}
        </ul>
      )}
    </HistoryPanelFrame>
  );
}

/** The pipeline's runs: status, who, when, how long, which version and how; open one, or pick two to compare. */
import { useState } from 'react';
import { useFetched } from '../api/useFetched';
import { useRunStore } from '../run/runStore';
import { describeOptions, formatDuration, formatWhen } from './format';
import { HistoryPanelFrame } from './HistoryPanelFrame';
import { useHistoryStore } from './historyStore';
import type { RunListItem } from './types';

function RunRow({
  run,
  picked,
  onPick,
  onOpen,
  current,
}: {
  run: RunListItem;
  picked: boolean;
  onPick: (picked: boolean) => void;
  onOpen: () => void;
  current: boolean;
}) {
  const options = describeOptions(run.options);
  return (
    <li className={`history-row${current ? ' is-current' : ''}`} data-testid={`run-row-${run.number}`}>
      <input
        type="checkbox"
        aria-label={`Pick run ${run.number} to compare`}
        checked={picked}
        onChange={(event) => onPick(event.target.checked)}
      />
      <button type="button" className="history-open" onClick={onOpen} title="Open this run read-only">
        <span className="history-title">
          <strong>#{run.number}</strong>{' '}
          <span className={`run-text run-${run.status}`} data-testid="run-row-status">
            {run.status}
          </span>{' '}
          · version {run.version}
          {options && <span className="run-options"> · {options}</span>}
        </span>
        <span className="history-meta muted">
          {run.created_by ?? 'someone'} · {formatWhen(run.created_at)} · {formatDuration(run.duration_seconds)}
        </span>
      </button>
    </li>
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
  const pick = (run: RunListItem, on: boolean) =>
    setPicked((list) => {
      const others = list.filter((other) => other.id !== run.id);
      return on ? [...others, run].slice(-2) : others;
    });
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
            <RunRow
              key={run.id}
              run={run}
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

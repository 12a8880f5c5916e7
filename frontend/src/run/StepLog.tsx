/** The log a step printed, and its error if it failed. */
import type { StepSnapshot } from '../api/types';
import { useEffect } from 'react';
import { useFetched } from '../api/useFetched';
import { useNodeReports, useReportStore } from './reportStore';

/** The error's first line up front; a traceback, if any, folded away. */
function StepError({ error }: { error: string }) {
  const [headline, ...details] = error.trim().split('\n');
  return (
    <div className="step-error" data-testid="step-error">
      <strong>{headline}</strong>
      {details.length > 0 && (
        <details>
          <summary>Details</summary>
          <pre>{details.join('\n')}</pre>
        </details>
      )}
    </div>
  );
}

/** Fetched when shown (again when the step changes status or the live log lost track), then kept up to
 * date by the step's live reports while it runs. */
export function StepLog({ runId, step }: { runId: number; step: StepSnapshot }) {
  const reports = useNodeReports(runId, step.node);
  const log = useFetched<{ log: string; length: number }>(
    `/api/runs/${runId}/steps/${step.node}/log/`,
    `${step.status}:${reports.logVersion}`,
  );
  useEffect(() => {
    if (log.state === 'ready') useReportStore.getState().logLoaded(runId, step.node, log.value.log, log.value.length);
  }, [log, runId, step.node]);
  const text = reports.log?.text ?? (log.state === 'ready' ? log.value.log : null);
  const running = step.status === 'running';
  return (
    <div className="step-log">
      {step.error && <StepError error={step.error} />}
      {text === null && log.state === 'loading' && <p className="muted">Loading log…</p>}
      {text === null && log.state === 'error' && <p className="error-text">{log.message}</p>}
      {text !== null &&
        (text ? (
          <pre data-testid="step-log" data-live={running}>
            {text}
          </pre>
        ) : (
          <p className="muted">{running ? 'Nothing printed yet.' : 'Nothing was logged.'}</p>
        ))}
    </div>
  );
}

/** The log a step printed, and its error if it failed. */
import type { StepSnapshot } from '../api/types';
import { useFetched } from '../api/useFetched';

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

export function StepLog({ runId, step }: { runId: number; step: StepSnapshot }) {
  const log = useFetched<{ log: string }>(`/api/runs/${runId}/steps/${step.node}/log/`, step.status);
  return (
    <div className="step-log">
      {step.error && <StepError error={step.error} />}
      {log.state === 'loading' && <p className="muted">Loading log…</p>}
      {log.state === 'error' && <p className="error-text">{log.message}</p>}
      {log.state === 'ready' &&
        (log.value.log ? (
          <pre data-testid="step-log">{log.value.log}</pre>
        ) : (
          <p className="muted">Nothing was logged.</p>
        ))}
    </div>
  );
}

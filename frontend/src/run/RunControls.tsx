/** Cancel the watched run while it goes on; retry it when it failed or was canceled; pin a finished run's outputs. */
import { api, errorMessage } from '../api/client';
import type { RunSnapshot } from '../api/types';
import { showToast } from '../ui/toasts';
import { FINISHED, useRunStore } from './runStore';

async function cancel(runId: number): Promise<void> {
  try {
    useRunStore.getState().applySnapshot(await api.post<RunSnapshot>(`/api/runs/${runId}/cancel/`));
  } catch (error) {
    showToast(`The run could not be canceled: ${errorMessage(error)}`);
  }
}

async function retry(runId: number): Promise<void> {
  try {
    useRunStore.getState().watch(await api.post<RunSnapshot>(`/api/runs/${runId}/retry/`));
  } catch (error) {
    showToast(`The run could not be retried: ${errorMessage(error)}`);
  }
}

async function setKeep(runId: number, keep: boolean): Promise<void> {
  try {
    useRunStore.getState().applySnapshot(await api.put<RunSnapshot>(`/api/runs/${runId}/keep/`, { keep }));
  } catch (error) {
    showToast(`The run could not be ${keep ? 'pinned' : 'unpinned'}: ${errorMessage(error)}`);
  }
}

function KeepButton({ run }: { run: RunSnapshot }) {
  const kept = run.keep === true;
  return (
    <button
      type="button"
      data-testid="keep-button"
      aria-pressed={kept}
      title={
        kept
          ? 'Pinned: the retention rules keep its outputs. Click to unpin.'
          : 'Keep its outputs whatever the retention rules say'
      }
      onClick={() => void setKeep(run.id, !kept)}
    >
      {kept ? 'Outputs kept' : 'Keep outputs'}
    </button>
  );
}

export function RunControls() {
  const run = useRunStore((state) => state.run);
  if (!run) return null;
  if (!FINISHED.has(run.status)) {
    return (
      <button type="button" data-testid="cancel-button" onClick={() => void cancel(run.id)}>
        ■ Cancel
      </button>
    );
  }
  const retryable = run.status === 'failed' || run.status === 'canceled';
  return (
    <>
      {retryable && (
        <button
          type="button"
          data-testid="retry-button"
          title="Run again; completed steps are reused"
          onClick={() => void retry(run.id)}
        >
          ↻ Retry
        </button>
      )}
      <KeepButton run={run} />
    </>
  );
}

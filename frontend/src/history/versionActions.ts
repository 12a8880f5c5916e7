/** Saving a version of the draft and restoring one as the draft, with the draft's revision guard:
 * a 409 shows the same conflict banner as a stale autosave. */
import { ApiError, api, errorMessage } from '../api/client';
import { type DraftSaver, markConflict, useSaveStore } from '../canvas/draftSaver';
import { showToast } from '../ui/toasts';
import { useHistoryStore } from './historyStore';
import type { RestoreResult, VersionSummary } from './types';

function refuse(what: string, error: unknown): null {
  if (error instanceof ApiError && error.status === 409) markConflict();
  else showToast(`${what}: ${errorMessage(error)}`);
  return null;
}

export async function saveVersion(
  pipelineId: number,
  saver: DraftSaver,
  message: string,
): Promise<VersionSummary | null> {
  if (!(await saver.flush())) {
    showToast(`The draft is not saved, so no version was made. ${useSaveStore.getState().message}`);
    return null;
  }
  try {
    const body = { message, revision: saver.currentRevision };
    const version = await api.post<VersionSummary>(`/api/pipelines/${pipelineId}/versions/`, body);
    showToast(`Saved version ${version.number}.`, 'info');
    useHistoryStore.getState().changed();
    return version;
  } catch (error) {
    return refuse('The version was not saved', error);
  }
}

/** Makes version `number` the draft, replacing the draft at `revision`; null when refused. */
export async function restoreVersion(
  pipelineId: number,
  number: number,
  revision: number,
  runId?: number,
): Promise<RestoreResult | null> {
  try {
    const url = `/api/pipelines/${pipelineId}/versions/${number}/restore/`;
    // A cloned run's parameter values become the draft's defaults.
    const result = await api.post<RestoreResult>(url, runId === undefined ? { revision } : { revision, run: runId });
    const kept = result.kept ? ` The draft it replaced is kept as version ${result.kept.number}.` : '';
    showToast(`Version ${number} is the draft now.${kept}`, 'info');
    return result;
  } catch (error) {
    return refuse('The version was not restored', error);
  }
}

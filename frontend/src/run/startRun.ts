/** Runs the saved draft: flush the pending save, submit, then watch the new run (or show its problems). */
import { ApiError, api, errorMessage } from '../api/client';
import type { ParameterValue, Problem, RunSnapshot } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { type DraftSaver, useSaveStore } from '../canvas/draftSaver';
import { showToast } from '../ui/toasts';
import { useRunStore } from './runStore';

/** How a run starts: all of it, up to a node, from a node on, or regenerating every output. */
export interface RunOptions {
  up_to?: string;
  from?: string;
  regenerate?: boolean;
  /** Values of the pipeline parameters; the server fills the rest with their defaults. */
  parameters?: Record<string, ParameterValue>;
}

export async function startRun(pipelineId: number, saver: DraftSaver, options: RunOptions = {}): Promise<void> {
  if (!(await saver.flush())) {
    showToast(`The draft is not saved, so it cannot run. ${useSaveStore.getState().message}`);
    return;
  }
  try {
    const run = await api.post<RunSnapshot>(`/api/pipelines/${pipelineId}/runs/`, options);
    useRunStore.getState().watch(run);
  } catch (error) {
    if (error instanceof ApiError && Array.isArray(error.body.problems)) {
      const problems = error.body.problems as Problem[];
      useCanvasStore.getState().setProblems(problems);
      showToast(`The run did not start: ${error.message}. The modules in red say why.`);
    } else {
      showToast(`The run could not start: ${errorMessage(error)}`);
    }
  }
}

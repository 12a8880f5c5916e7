/** After a run ends, the draft's schemas are fetched again: columns seen on its SQL and script outputs
 * (observed schemas, docs/designer.md) reach the column pickers without another edit. */
import { useEffect } from 'react';
import { api } from '../api/client';
import type { PipelineDetail } from '../api/types';
import { useRunStore } from '../run/runStore';
import { useCanvasStore } from './canvasStore';
import type { DraftSaver } from './draftSaver';

const ENDED = new Set(['completed', 'failed', 'canceled']);

export function useObservedSchemas(pipelineId: number, saver: DraftSaver | null): void {
  const status = useRunStore((state) => state.run?.status);
  const runId = useRunStore((state) => state.run?.id);
  useEffect(() => {
    if (!status || !ENDED.has(status)) return;
    let current = true;
    void api
      .get<PipelineDetail>(`/api/pipelines/${pipelineId}/`)
      .then((detail) => {
        // An edit saved meanwhile brought its own schemas; these would be older.
        if (!current || (saver && detail.draft.revision !== saver.currentRevision)) return;
        useCanvasStore.getState().setSchemas(detail.draft.schemas ?? {});
        useCanvasStore.getState().setProblems(detail.draft.problems);
      })
      .catch(() => undefined); // the next save brings them anyway
    return () => {
      current = false;
    };
  }, [pipelineId, saver, status, runId]);
}

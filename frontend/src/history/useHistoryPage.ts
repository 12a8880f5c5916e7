/** Loads what a read-only pipeline page shows: the pipeline, the module catalog, and the page's own
 * data, which `show` puts into the canvas and run stores before the canvas first draws. */
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { PipelineDetail } from '../api/types';
import { useTargetStore } from '../canvas/computeTargets';
import { useCatalogStore } from '../catalog/catalogStore';
import { useDatasetsStore } from '../datasets/datasetsStore';

export type HistoryPage<T> =
  { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; pipeline: PipelineDetail; value: T };

export function useHistoryPage<T>(
  pipelineId: number,
  load: () => Promise<T>,
  show: (value: T) => void,
): HistoryPage<T> {
  const [page, setPage] = useState<HistoryPage<T>>({ state: 'loading' });
  const loadCatalog = useCatalogStore((state) => state.load);
  const steps = useRef({ load, show });
  steps.current = { load, show };
  useEffect(() => {
    let current = true;
    api
      .get<PipelineDetail>(`/api/pipelines/${pipelineId}/`)
      .then(async (pipeline) => {
        // The catalog holds the workspace's own modules too, so it loads once the workspace is known.
        const [value] = await Promise.all([steps.current.load(), loadCatalog(pipeline.workspace)]);
        return [pipeline, value] as const;
      })
      .then(([pipeline, value]) => {
        if (!current) return;
        steps.current.show(value);
        // What module panels show of the workspace: its compute targets and datasets.
        void useTargetStore.getState().load(pipeline.workspace);
        void useDatasetsStore.getState().load(pipeline.workspace);
        setPage({ state: 'ready', pipeline, value });
      })
      .catch((error: unknown) => current && setPage({ state: 'error', message: errorMessage(error) }));
    return () => {
      current = false;
    };
  }, [pipelineId, loadCatalog]);
  return page;
}

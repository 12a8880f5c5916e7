/** Two versions (or a version and the draft) on one canvas, coloured by what changed. */
import { api } from '../api/client';
import { useCanvasStore } from '../canvas/canvasStore';
import { Link } from '../router';
import { useRunStore } from '../run/runStore';
import { DiffCanvas } from './DiffCanvas';
import { DiffChanges } from './DiffPanel';
import { InfoPanel, PageMessage, ReadOnlyCanvasPage, useOpenPanel } from './ReadOnlyWorkbench';
import type { DiffSide, PipelineDiff } from './types';
import { useHistoryPage } from './useHistoryPage';

/** Modules drawn by the diff canvas read problems and statuses from the stores: nothing of another page's. */
export function clearStores(): void {
  useCanvasStore.getState().load({ format_version: 2, nodes: [], edges: [] }, []);
  useRunStore.getState().watch(null);
}

function sideName(side: DiffSide): string {
  return side.kind === 'draft' ? 'the draft' : `version ${side.number}`;
}

export function DiffLegend() {
  return (
    <span className="diff-legend" aria-label="Legend">
      <span className="legend-added">added</span>
      <span className="legend-removed">removed</span>
      <span className="legend-changed">changed</span>
    </span>
  );
}

interface CompareProps {
  pipelineId: number;
  base: string;
  head: string;
}

export function ComparePage({ pipelineId, base, head }: CompareProps) {
  useOpenPanel(null);
  const page = useHistoryPage(
    pipelineId,
    () => api.get<PipelineDiff>(`/api/pipelines/${pipelineId}/diff/?base=${base}&head=${head}`),
    clearStores,
  );
  if (page.state !== 'ready')
    return <PageMessage pipelineId={pipelineId} message={page.state === 'error' ? page.message : null} />;
  const { pipeline, value: diff } = page;
  const title = `${sideName(diff.base)} → ${sideName(diff.head)}`;
  return (
    <ReadOnlyCanvasPage
      pipeline={pipeline}
      crumb={`Compare ${title}`}
      banner={
        <div className="banner banner-history" data-testid="compare-banner">
          <span>
            Comparing {title}. <DiffLegend />
          </span>
          <span className="banner-actions">
            <Link to={`/pipelines/${pipeline.id}/`} className="button">
              Back to the draft
            </Link>
          </span>
        </div>
      }
      canvas={<DiffCanvas diff={diff} base={diff.base.graph} head={diff.head.graph} />}
      info={
        <InfoPanel title="What changed">
          <DiffChanges diff={diff} />
        </InfoPanel>
      }
    />
  );
}

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

/** What is compared, the colours' legend, and the way back. */
export function CompareBanner({ pipelineId, testId, what }: { pipelineId: number; testId: string; what: string }) {
  return (
    <div className="banner banner-history" data-testid={testId}>
      <span>
        Comparing {what}.
        <span className="diff-legend" aria-label="Legend">
          <span className="legend-added">added</span>
          <span className="legend-removed">removed</span>
          <span className="legend-changed">changed</span>
        </span>
      </span>
      <span className="banner-actions">
        <Link to={`/pipelines/${pipelineId}/`} className="button">
          Back to the draft
        </Link>
      </span>
    </div>
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
      banner={<CompareBanner pipelineId={pipeline.id} testId="compare-banner" what={title} />}
      canvas={<DiffCanvas diff={diff} base={diff.base.graph} head={diff.head.graph} />}
      info={
        <InfoPanel title="What changed">
          <DiffChanges diff={diff} />
        </InfoPanel>
      }
    />
  );
}

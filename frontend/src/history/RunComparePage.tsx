/** Two runs side by side: the canvas of what changed between their versions, and beside it their
 * facts, the metrics of their evaluations (the better value marked) and each step's status. */
import { api } from '../api/client';
import { ComparisonTable } from './ComparisonTable';
import { clearStores, CompareBanner } from './ComparePage';
import { DiffCanvas } from './DiffCanvas';
import { InfoPanel, PageMessage, ReadOnlyCanvasPage, useOpenPanel } from './ReadOnlyWorkbench';
import type { RunComparison } from './types';
import { useHistoryPage } from './useHistoryPage';

interface RunCompareProps {
  pipelineId: number;
  runId: number;
  otherId: number;
}

export function RunComparePage({ pipelineId, runId, otherId }: RunCompareProps) {
  useOpenPanel(null);
  const page = useHistoryPage(
    pipelineId,
    () => api.get<RunComparison>(`/api/runs/${runId}/compare/${otherId}/`),
    clearStores,
  );
  if (page.state !== 'ready')
    return <PageMessage pipelineId={pipelineId} message={page.state === 'error' ? page.message : null} />;
  const { pipeline, value: comparison } = page;
  const title = `run #${comparison.a.number} and run #${comparison.b.number}`;
  return (
    <ReadOnlyCanvasPage
      pipeline={pipeline}
      crumb={`Compare ${title}`}
      banner={
        <CompareBanner
          pipelineId={pipeline.id}
          testId="run-compare-banner"
          what={`${title} (version ${comparison.a.version} → ${comparison.b.version})`}
        />
      }
      canvas={<DiffCanvas diff={comparison.diff} base={comparison.a.graph} head={comparison.b.graph} />}
      info={
        <InfoPanel title="Side by side">
          <ComparisonTable comparison={comparison} />
        </InfoPanel>
      }
    />
  );
}

/** One run, read-only on the canvas of the version it ran: each module's state, log and outputs;
 * "clone into draft" makes that version the draft again. */
import { api } from '../api/client';
import type { PipelineDetail, RunSnapshot } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { Link } from '../router';
import { useRunStore } from '../run/runStore';
import { describeOptions, formatWhen } from './format';
import { InfoPanel, PageMessage, ReadOnlyCanvasPage, useOpenPanel } from './ReadOnlyWorkbench';
import type { VersionDetail } from './types';
import { useHistoryPage } from './useHistoryPage';
import { RestoreButton } from './VersionPage';

interface RunAndVersion {
  run: RunSnapshot;
  version: VersionDetail;
}

async function loadRun(pipelineId: number, runId: number): Promise<RunAndVersion> {
  const run = await api.get<RunSnapshot>(`/api/runs/${runId}/`);
  if (run.pipeline !== pipelineId) throw new Error(`run ${runId} is not a run of this pipeline`);
  const version = await api.get<VersionDetail>(`/api/pipelines/${pipelineId}/versions/${run.version}/`);
  return { run, version };
}

function showRun({ run, version }: RunAndVersion): void {
  useCanvasStore.getState().load(version.graph, []);
  useCanvasStore.getState().setSchemas(version.schemas);
  useRunStore.getState().watch(run);
}

function RunBanner({ pipeline, run }: { pipeline: PipelineDetail; run: RunSnapshot }) {
  const base = `/pipelines/${pipeline.id}`;
  const options = describeOptions(run.options ?? {});
  return (
    <div className="banner banner-history" data-testid="run-banner">
      <span>
        Run #{run.number} of version {run.version}, started {formatWhen(run.created_at)}
        {options ? ` (${options})` : ''}. Read-only.
      </span>
      <span className="banner-actions">
        <Link to={`${base}/`} className="button">
          Back to the draft
        </Link>
        <Link to={`${base}/versions/${run.version}/`} className="button">
          Open version {run.version}
        </Link>
        <RestoreButton pipeline={pipeline} number={run.version} label="Clone into the draft" runId={run.id} />
      </span>
    </div>
  );
}

export function RunPage({ pipelineId, runId }: { pipelineId: number; runId: number }) {
  useOpenPanel('runs');
  const page = useHistoryPage(pipelineId, () => loadRun(pipelineId, runId), showRun);
  if (page.state !== 'ready')
    return <PageMessage pipelineId={pipelineId} message={page.state === 'error' ? page.message : null} />;
  const { pipeline, value } = page;
  return (
    <ReadOnlyCanvasPage
      pipeline={pipeline}
      crumb={`Run #${value.run.number}`}
      banner={<RunBanner pipeline={pipeline} run={value.run} />}
      currentRun={value.run.id}
      info={
        <InfoPanel title={`Run #${value.run.number}`}>
          <p className="muted">
            Each module shows how its step ended in this run. Select one to see its log and outputs.
          </p>
        </InfoPanel>
      }
    />
  );
}

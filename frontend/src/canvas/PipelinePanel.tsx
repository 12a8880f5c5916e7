/** The right-hand panel while no module is selected: what to do next, and how the last run went. */
import type { PipelineDetail } from '../api/types';
import { ParametersSection } from '../parameters/ParametersSection';
import { useRunStore } from '../run/runStore';
import { useCanvasStore } from './canvasStore';

function when(timestamp: string | null): string {
  return timestamp ? new Date(timestamp).toLocaleString() : '—';
}

function LastRun() {
  const run = useRunStore((state) => state.run);
  if (!run) return <p className="muted">This pipeline has not run yet.</p>;
  return (
    <dl className="facts">
      <dt>Last run</dt>
      <dd>
        #{run.number}, version {run.version}: <span className={`run-text run-${run.status}`}>{run.status}</span>
      </dd>
      <dt>Started</dt>
      <dd>{when(run.started_at)}</dd>
      <dt>Finished</dt>
      <dd>{when(run.finished_at)}</dd>
      {run.error && (
        <>
          <dt>Error</dt>
          <dd className="error-text">{run.error}</dd>
        </>
      )}
    </dl>
  );
}

export function PipelinePanel({ pipeline, readOnly }: { pipeline: PipelineDetail; readOnly: boolean }) {
  const moduleCount = useCanvasStore((state) => state.nodes.length);
  const problemCount = useCanvasStore((state) => state.problems.length);
  return (
    <aside className="node-panel" aria-label="Pipeline" data-testid="pipeline-panel">
      <header>
        <h2>{pipeline.name}</h2>
        <p className="muted">
          {moduleCount} module{moduleCount === 1 ? '' : 's'}
          {problemCount > 0 ? `, ${problemCount} problem${problemCount === 1 ? '' : 's'} to fix before it can run` : ''}
        </p>
      </header>
      <div className="panel-body">
        <p className="muted">
          {readOnly
            ? 'You can read this pipeline. Select a module to see its parameters, log and outputs.'
            : 'Drag modules from the left, connect an output to an input, then select a module to set its parameters. Changes save by themselves.'}
        </p>
        <ParametersSection readOnly={readOnly} />
        <LastRun />
      </div>
    </aside>
  );
}

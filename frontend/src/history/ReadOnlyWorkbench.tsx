/** The frame of every read-only pipeline page (a version, a run, a comparison): the header with the
 * way back to the draft, a banner saying what is shown, the canvas, and the right-hand column. */
import { ReactFlowProvider } from '@xyflow/react';
import { type ReactNode, useEffect } from 'react';
import type { PipelineDetail } from '../api/types';
import { ConflictBanner } from '../canvas/Banners';
import { useCanvasEditing } from '../canvas/useCanvasEditing';
import { FlowCanvas } from '../canvas/FlowCanvas';
import { GroupToolbar } from '../groups/GroupToolbar';
import { NodeSearch } from '../canvas/NodeSearch';
import { ShortcutSheet } from '../canvas/ShortcutSheet';
import { useWorkspace } from '../pages/useWorkspace';
import { Link, navigate } from '../router';
import { useRunStore } from '../run/runStore';
import { RunStatusBadge } from '../run/RunStatusBadge';
import { useRunSocket } from '../run/useRunSocket';
import { AppHeader } from '../ui/AppHeader';
import { type HistoryPanel, useHistoryStore } from './historyStore';
import { HistoryButtons, SideColumn } from './SideColumn';

export function PipelineTrail({ pipeline, crumb }: { pipeline: PipelineDetail; crumb: ReactNode }) {
  const workspace = useWorkspace(pipeline.workspace);
  return (
    <>
      <Link to={`/workspaces/${pipeline.workspace}/`}>{workspace?.name ?? 'Workspace'}</Link>
      <span aria-hidden="true">›</span>
      <Link to={`/pipelines/${pipeline.id}/`}>
        <span data-testid="pipeline-name">{pipeline.name}</span>
      </Link>
      <span aria-hidden="true">›</span>
      <strong data-testid="view-title">{crumb}</strong>
      <span className="role-badge">read-only</span>
    </>
  );
}

/** A page of a version or a run starts with that history's panel open; a comparison with none,
 * so that what changed shows beside it. */
export function useOpenPanel(panel: HistoryPanel | null): void {
  useEffect(() => {
    if (panel === null) useHistoryStore.getState().close();
    else if (useHistoryStore.getState().panel === null) useHistoryStore.getState().open(panel);
  }, [panel]);
}

export function InfoPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <aside className="node-panel" aria-label={title} data-testid="info-panel">
      <header>
        <h2>{title}</h2>
      </header>
      <div className="panel-body">{children}</div>
    </aside>
  );
}

interface ReadOnlyCanvasPageProps {
  pipeline: PipelineDetail;
  crumb: ReactNode;
  banner: ReactNode;
  info: ReactNode;
  canvas?: ReactNode;
  currentVersion?: number;
  currentRun?: number;
}

function Workbench({ pipeline, crumb, banner, info, canvas, ...current }: ReadOnlyCanvasPageProps) {
  const runId = useRunStore((state) => state.run?.id ?? null);
  useRunSocket(runId);
  const [shortcutsShown, showShortcuts] = useCanvasEditing({ pipelineId: pipeline.id, saver: null, readOnly: true });
  return (
    <div className="page page-canvas is-read-only">
      <AppHeader trail={<PipelineTrail pipeline={pipeline} crumb={crumb} />}>
        <button type="button" className="quiet" title="Keyboard shortcuts (?)" onClick={() => showShortcuts(true)}>
          ?
        </button>
        <HistoryButtons />
        <RunStatusBadge />
      </AppHeader>
      {shortcutsShown && <ShortcutSheet onClose={() => showShortcuts(false)} />}
      <ConflictBanner />
      {banner}
      <div className="workbench">
        <div className="canvas-area">
          {canvas ?? (
            <>
              <NodeSearch />
              <GroupToolbar readOnly />
              <FlowCanvas readOnly />
            </>
          )}
        </div>
        <SideColumn pipelineId={pipeline.id} readOnly go={navigate} fallback={info} {...current} />
      </div>
    </div>
  );
}

export function ReadOnlyCanvasPage(props: ReadOnlyCanvasPageProps) {
  return (
    <ReactFlowProvider>
      <Workbench {...props} />
    </ReactFlowProvider>
  );
}

export function PageMessage({ pipelineId, message }: { pipelineId: number; message: string | null }) {
  if (message === null) return <div className="page page-message muted">Loading…</div>;
  return (
    <div className="page page-message">
      <AppHeader trail={<Link to={`/pipelines/${pipelineId}/`}>Back to the pipeline</Link>} />
      <p className="error-text" data-testid="page-error">
        This could not be loaded: {message}
      </p>
    </div>
  );
}

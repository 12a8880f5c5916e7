/** A pipeline's page: palette, canvas, the selected node's panel, autosave and Run. */
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { ModuleSpec, ParameterValue, PipelineDetail } from '../api/types';
import { useCatalogStore } from '../catalog/catalogStore';
import { useDatasetsStore } from '../datasets/datasetsStore';
import { HistoryButtons, SideColumn } from '../history/SideColumn';
import { Link, navigate } from '../router';
import { AddNoteButton } from '../notes/AddNote';
import { RunButton } from '../run/RunButton';
import { RunControls } from '../run/RunControls';
import { useRunStore } from '../run/runStore';
import { RunStatusBadge } from '../run/RunStatusBadge';
import { startRun } from '../run/startRun';
import { useRunSocket } from '../run/useRunSocket';
import { useWorkspace } from '../pages/useWorkspace';
import { AppHeader } from '../ui/AppHeader';
import { useCanvasStore } from './canvasStore';
import { useTargetStore } from './computeTargets';
import { ConflictBanner, GraphProblems } from './Banners';
import { DraftSaver } from './draftSaver';
import { FlowCanvas } from './FlowCanvas';
import { NodeSearch } from './NodeSearch';
import { Palette } from './Palette';
import { PipelinePanel } from './PipelinePanel';
import { SaveIndicator } from './SaveIndicator';
import { ShortcutSheet } from './ShortcutSheet';
import { useCanvasEditing } from './useCanvasEditing';
import { useObservedSchemas } from './useObservedSchemas';
import { GroupToolbar } from '../groups/GroupToolbar';

function usePipeline(pipelineId: number): { pipeline: PipelineDetail | null; error: string | null } {
  const [pipeline, setPipeline] = useState<PipelineDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadCatalog = useCatalogStore((state) => state.load);
  useEffect(() => {
    let current = true;
    api
      .get<PipelineDetail>(`/api/pipelines/${pipelineId}/`)
      .then(async (detail) => {
        await loadCatalog(detail.workspace, true); // fresh: the gallery may have changed since
        return detail;
      })
      .then((detail) => {
        if (!current) return;
        useCanvasStore.getState().load(detail.draft.graph, detail.draft.problems);
        useCanvasStore.getState().setSchemas(detail.draft.schemas ?? {});
        useRunStore.getState().watch(detail.latest_run);
        void useTargetStore.getState().load(detail.workspace);
        void useDatasetsStore.getState().load(detail.workspace);
        setPipeline(detail);
      })
      .catch((reason: unknown) => current && setError(errorMessage(reason)));
    return () => {
      current = false;
    };
  }, [pipelineId, loadCatalog]);
  return { pipeline, error };
}

function useDraftSaver(pipeline: PipelineDetail | null, readOnly: boolean): DraftSaver | null {
  const [saver, setSaver] = useState<DraftSaver | null>(null);
  useEffect(() => {
    if (!pipeline || readOnly) return;
    const created = new DraftSaver(pipeline.id, pipeline.draft.revision);
    setSaver(created);
    return () => created.dispose();
  }, [pipeline, readOnly]);
  return saver;
}

function PipelineWorkbench({ pipeline }: { pipeline: PipelineDetail }) {
  const readOnly = pipeline.role === 'reader';
  const saver = useDraftSaver(pipeline, readOnly);
  const runId = useRunStore((state) => state.run?.id ?? null);
  const addModule = useCanvasStore((state) => state.addModule);
  const { screenToFlowPosition } = useReactFlow();
  const canvasArea = useRef<HTMLDivElement>(null);
  const workspace = useWorkspace(pipeline.workspace);
  useRunSocket(runId);
  useObservedSchemas(pipeline.id, saver);
  const [shortcutsShown, showShortcuts] = useCanvasEditing({ pipelineId: pipeline.id, saver, readOnly });
  // Leaving for a version or a run: what is typed is saved first, so the draft there is this one.
  const go = useCallback(
    (path: string) => void (saver ? saver.flush() : Promise.resolve(true)).then(() => navigate(path)),
    [saver],
  );

  // Keyboard and double-click adds land near the middle of the visible canvas, a little apart.
  const addInView = useCallback(
    (spec: ModuleSpec, parameters?: Record<string, ParameterValue>) => {
      const box = canvasArea.current?.getBoundingClientRect();
      if (!box) return;
      const shift = (useCanvasStore.getState().nodes.length % 5) * 24;
      addModule(
        spec,
        screenToFlowPosition({ x: box.left + box.width / 2 - 90 + shift, y: box.top + box.height / 3 + shift }),
        parameters,
      );
    },
    [addModule, screenToFlowPosition],
  );

  return (
    <div className="page page-canvas">
      <AppHeader
        trail={
          <>
            <Link to={`/workspaces/${pipeline.workspace}/`}>{workspace?.name ?? 'Workspace'}</Link>
            <span aria-hidden="true">›</span>
            <strong data-testid="pipeline-name">{pipeline.name}</strong>
            {readOnly && <span className="role-badge">read-only</span>}
          </>
        }
      >
        <button type="button" className="quiet" title="Keyboard shortcuts (?)" onClick={() => showShortcuts(true)}>
          ?
        </button>
        <HistoryButtons />
        {!readOnly && <SaveIndicator />}
        <RunStatusBadge />
        {!readOnly && <AddNoteButton />}
        {saver && <RunControls />}
        {saver && <RunButton pipelineId={pipeline.id} saver={saver} />}
      </AppHeader>
      {shortcutsShown && <ShortcutSheet onClose={() => showShortcuts(false)} />}
      <ConflictBanner />
      <GraphProblems />
      <div className="workbench">
        {!readOnly && <Palette onAdd={addInView} />}
        <div className="canvas-area" ref={canvasArea}>
          <NodeSearch />
          <GroupToolbar readOnly={readOnly} />
          <FlowCanvas readOnly={readOnly} />
        </div>
        <SideColumn
          pipelineId={pipeline.id}
          readOnly={readOnly}
          go={go}
          saver={saver}
          onRun={saver ? (options) => void startRun(pipeline.id, saver, options) : undefined}
          fallback={<PipelinePanel pipeline={pipeline} readOnly={readOnly} />}
        />
      </div>
    </div>
  );
}

export function CanvasPage({ pipelineId }: { pipelineId: number }) {
  const { pipeline, error } = usePipeline(pipelineId);
  const catalogError = useCatalogStore((state) => state.error);
  if (error || catalogError) {
    return (
      <div className="page page-message">
        <AppHeader trail={<Link to="/">Workspaces</Link>} />
        <p className="error-text">This pipeline could not be loaded: {error ?? catalogError}</p>
      </div>
    );
  }
  if (!pipeline) return <div className="page page-message muted">Loading pipeline…</div>;
  return (
    <ReactFlowProvider>
      <PipelineWorkbench key={pipeline.id} pipeline={pipeline} />
    </ReactFlowProvider>
  );
}

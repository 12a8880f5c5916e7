/** One version of a pipeline, read-only on the canvas, with the ways to restore it, compare it and go back. */
import { useState } from 'react';
import { api } from '../api/client';
import type { PipelineDetail } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { Link, navigate } from '../router';
import { useRunStore } from '../run/runStore';
import { ConfirmDialog } from './ConfirmDialog';
import { formatWhen, versionTitle } from './format';
import { InfoPanel, PageMessage, ReadOnlyCanvasPage, useOpenPanel } from './ReadOnlyWorkbench';
import type { VersionDetail } from './types';
import { useHistoryPage } from './useHistoryPage';
import { restoreVersion } from './versionActions';

function showVersion(version: VersionDetail): void {
  useCanvasStore.getState().load(version.graph, version.problems);
  useCanvasStore.getState().setSchemas(version.schemas);
  useRunStore.getState().watch(null);
}

/** Restoring replaces the draft: asked first, then guarded by the draft revision this page loaded. */
export function RestoreButton({
  pipeline,
  number,
  label,
  runId,
}: {
  pipeline: PipelineDetail;
  number: number;
  label: string;
  /** Cloning this run: its parameter values become the draft's defaults. */
  runId?: number;
}) {
  const [asking, setAsking] = useState(false);
  const restore = async () => {
    setAsking(false);
    if (await restoreVersion(pipeline.id, number, pipeline.draft.revision, runId))
      navigate(`/pipelines/${pipeline.id}/`);
  };
  if (pipeline.role === 'reader') return null;
  return (
    <>
      <button type="button" data-testid="restore-version" onClick={() => setAsking(true)}>
        {label}
      </button>
      {asking && (
        <ConfirmDialog
          title={`Make version ${number} the draft?`}
          confirmLabel="Replace the draft"
          onConfirm={() => void restore()}
          onCancel={() => setAsking(false)}
        >
          <p>
            The draft becomes version {number}. If the draft holds changes no version has, they are kept as a new
            version first, so you can come back to them.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function VersionBanner({ pipeline, version }: { pipeline: PipelineDetail; version: VersionDetail }) {
  const base = `/pipelines/${pipeline.id}`;
  return (
    <div className="banner banner-history" data-testid="version-banner">
      <span>
        Version {version.number}: <strong>{versionTitle(version)}</strong> — {version.created_by ?? 'someone'},{' '}
        {formatWhen(version.created_at)}. Read-only.
      </span>
      <span className="banner-actions">
        <Link to={`${base}/`} className="button">
          Back to the draft
        </Link>
        <Link to={`${base}/compare/${version.number}/draft/`} className="button">
          Compare with the draft
        </Link>
        <a className="button" href={`/api/pipelines/${pipeline.id}/versions/${version.number}/graph/`} download>
          Download
        </a>
        <RestoreButton pipeline={pipeline} number={version.number} label="Restore as the draft" />
      </span>
    </div>
  );
}

export function VersionPage({ pipelineId, number }: { pipelineId: number; number: number }) {
  useOpenPanel('versions');
  const page = useHistoryPage(
    pipelineId,
    () => api.get<VersionDetail>(`/api/pipelines/${pipelineId}/versions/${number}/`),
    showVersion,
  );
  if (page.state !== 'ready')
    return <PageMessage pipelineId={pipelineId} message={page.state === 'error' ? page.message : null} />;
  const { pipeline, value: version } = page;
  return (
    <ReadOnlyCanvasPage
      pipeline={pipeline}
      crumb={`Version ${version.number}`}
      banner={<VersionBanner pipeline={pipeline} version={version} />}
      currentVersion={version.number}
      info={
        <InfoPanel title={`Version ${version.number}`}>
          <p className="muted">
            The pipeline as it was in this version. Select a module to see its parameters; copy modules from here and
            paste them into the draft.
          </p>
        </InfoPanel>
      }
    />
  );
}

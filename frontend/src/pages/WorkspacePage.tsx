/** One workspace: its pipelines (and the deleted ones), a form for a new one, imports, the way to its members and, for owners, its storage. */
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { PipelineDetail, PipelineSummary } from '../api/types';
import { Link, navigate } from '../router';
import { useFetched } from '../api/useFetched';
import { AppHeader } from '../ui/AppHeader';
import { GraphImportZone } from './GraphImport';
import { PipelineList } from './PipelineList';
import { StorageCard } from './StorageCard';
import { useWorkspace } from './useWorkspace';

function NewPipelineForm({ workspaceId }: { workspaceId: number }) {
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const pipeline = await api.post<PipelineDetail>(`/api/workspaces/${workspaceId}/pipelines/`, { name });
      navigate(`/pipelines/${pipeline.id}/`);
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };
  return (
    <form className="inline-form" onSubmit={create} data-testid="new-pipeline-form">
      <input
        aria-label="Pipeline name"
        placeholder="New pipeline name"
        value={name}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="primary">
        New pipeline
      </button>
      {error && <span className="error-text">{error}</span>}
    </form>
  );
}

function ListTabs({ deleted, onChange }: { deleted: boolean; onChange: (deleted: boolean) => void }) {
  return (
    <div className="tabs list-tabs" role="tablist">
      <button type="button" role="tab" aria-selected={!deleted} onClick={() => onChange(false)}>
        Pipelines
      </button>
      <button type="button" role="tab" aria-selected={deleted} data-testid="deleted-tab" onClick={() => onChange(true)}>
        Deleted
      </button>
    </div>
  );
}

export function WorkspacePage({ workspaceId }: { workspaceId: number }) {
  const workspace = useWorkspace(workspaceId);
  const [deleted, setDeleted] = useState(false);
  const [changes, setChanges] = useState(0);
  const url = `/api/workspaces/${workspaceId}/pipelines/${deleted ? '?deleted=true' : ''}`;
  const pipelines = useFetched<PipelineSummary[]>(url, changes);
  const canEdit = workspace !== undefined && workspace.role !== 'reader';
  const reload = () => setChanges((count) => count + 1);
  const list = (
    <>
      <ListTabs deleted={deleted} onChange={setDeleted} />
      {pipelines.state === 'loading' && <p className="muted">Loading…</p>}
      {pipelines.state === 'error' && <p className="error-text">{pipelines.message}</p>}
      {pipelines.state === 'ready' && (
        <PipelineList pipelines={pipelines.value} actions={{ deleted, canEdit, onChanged: reload }} />
      )}
    </>
  );
  return (
    <div className="page page-list">
      <AppHeader
        trail={
          <>
            <Link to="/">Workspaces</Link>
            <span aria-hidden="true">›</span>
            <strong>{workspace?.name ?? '…'}</strong>
          </>
        }
      />
      <main className="content">
        <div className="content-header">
          <h1>{workspace?.name ?? 'Workspace'}</h1>
          <div className="content-actions">
            <Link to={`/workspaces/${workspaceId}/modules/`} className="button">
              Modules
            </Link>
            <Link to={`/workspaces/${workspaceId}/datasets/`} className="button">
              Datasets
            </Link>
            <Link to={`/workspaces/${workspaceId}/members/`} className="button">
              Members
            </Link>
            <Link to={`/workspaces/${workspaceId}/compute/`} className="button">
              Compute targets
            </Link>
          </div>
        </div>
        {canEdit && <NewPipelineForm workspaceId={workspaceId} />}
        {canEdit && !deleted ? (
          <GraphImportZone workspaceId={workspaceId} onImported={reload}>
            {list}
          </GraphImportZone>
        ) : (
          <section className="card">{list}</section>
        )}
        {workspace?.role === 'owner' && <StorageCard workspaceId={workspaceId} />}
      </main>
    </div>
  );
}

/** The workspaces the person belongs to, each with its pipelines. */
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { PipelineSummary, Workspace } from '../api/types';
import { Link, navigate } from '../router';
import { useFetched } from '../api/useFetched';
import { AppHeader } from '../ui/AppHeader';
import { PipelineList } from './PipelineList';

function WorkspaceCard({ workspace }: { workspace: Workspace }) {
  const pipelines = useFetched<PipelineSummary[]>(`/api/workspaces/${workspace.id}/pipelines/`);
  return (
    <section className="card" data-testid={`workspace-${workspace.id}`}>
      <header className="card-header">
        <h2>
          <Link to={`/workspaces/${workspace.id}/`}>{workspace.name}</Link>
        </h2>
        <span className="role-badge">{workspace.role}</span>
      </header>
      {pipelines.state === 'loading' && <p className="muted">Loading…</p>}
      {pipelines.state === 'error' && <p className="error-text">{pipelines.message}</p>}
      {pipelines.state === 'ready' && <PipelineList pipelines={pipelines.value} />}
    </section>
  );
}

function NewWorkspaceForm() {
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const create = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const workspace = await api.post<Workspace>('/api/workspaces/', { name });
      navigate(`/workspaces/${workspace.id}/`);
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };
  return (
    <form className="inline-form" onSubmit={create}>
      <input
        aria-label="Workspace name"
        placeholder="New workspace name"
        value={name}
        required
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit">Create workspace</button>
      {error && <span className="error-text">{error}</span>}
    </form>
  );
}

export function HomePage() {
  const workspaces = useFetched<Workspace[]>('/api/workspaces/');
  return (
    <div className="page page-list">
      <AppHeader trail={<strong>Workspaces</strong>} />
      <main className="content">
        <div className="content-header">
          <h1>Your workspaces</h1>
          <NewWorkspaceForm />
        </div>
        {workspaces.state === 'loading' && <p className="muted">Loading…</p>}
        {workspaces.state === 'error' && <p className="error-text">{workspaces.message}</p>}
        {workspaces.state === 'ready' && workspaces.value.length === 0 && (
          <p className="muted">You are not a member of any workspace yet.</p>
        )}
        {workspaces.state === 'ready' &&
          workspaces.value.map((workspace) => <WorkspaceCard key={workspace.id} workspace={workspace} />)}
      </main>
    </div>
  );
}

/** A table of pipelines linking to their canvases; with `actions`, each can be renamed, duplicated,
 * downloaded as graph JSON and deleted, and deleted ones restored. */
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { PipelineSummary } from '../api/types';
import { Link } from '../router';
import { showToast } from '../ui/toasts';

function when(timestamp: string | null): string {
  if (!timestamp) return '';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

export interface ListActions {
  /** Deleted pipelines are listed, to be restored; otherwise the live ones, to be changed. */
  deleted: boolean;
  canEdit: boolean;
  onChanged: () => void;
}

async function act(request: () => Promise<unknown>, done: string, actions: ListActions): Promise<void> {
  try {
    await request();
    showToast(done, 'info');
    actions.onChanged();
  } catch (error) {
    showToast(errorMessage(error));
  }
}

function RenameForm({ pipeline, onDone }: { pipeline: PipelineSummary; onDone: (name: string | null) => void }) {
  const [name, setName] = useState(pipeline.name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onDone(name.trim() && name.trim() !== pipeline.name ? name.trim() : null);
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <input
        aria-label={`New name for ${pipeline.name}`}
        value={name}
        autoFocus
        required
        maxLength={200}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && onDone(null)}
      />
      <button type="submit">Save</button>
      <button type="button" className="link-button" onClick={() => onDone(null)}>
        Cancel
      </button>
    </form>
  );
}

function RowActions({
  pipeline,
  actions,
  onRename,
}: {
  pipeline: PipelineSummary;
  actions: ListActions;
  onRename: () => void;
}) {
  const base = `/api/pipelines/${pipeline.id}/`;
  if (actions.deleted) {
    return actions.canEdit ? (
      <button
        type="button"
        onClick={() => void act(() => api.post(`${base}restore/`), `Restored ${pipeline.name}.`, actions)}
      >
        Restore
      </button>
    ) : null;
  }
  return (
    <div className="row-actions">
      {actions.canEdit && (
        <>
          <button type="button" className="link-button" onClick={onRename}>
            Rename
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => void act(() => api.post(`${base}duplicate/`), `Duplicated ${pipeline.name}.`, actions)}
          >
            Duplicate
          </button>
        </>
      )}
      <a className="link-button" href={`${base}graph/`} download>
        Download
      </a>
      {actions.canEdit && (
        <button
          type="button"
          className="link-button danger"
          onClick={() => void act(() => api.delete(base), `Moved ${pipeline.name} to Deleted.`, actions)}
        >
          Delete
        </button>
      )}
    </div>
  );
}

function PipelineRow({ pipeline, actions }: { pipeline: PipelineSummary; actions?: ListActions }) {
  const [renaming, setRenaming] = useState(false);
  const rename = (name: string | null) => {
    setRenaming(false);
    if (name && actions) {
      void act(() => api.patch(`/api/pipelines/${pipeline.id}/`, { name }), `Renamed to ${name}.`, actions);
    }
  };
  return (
    <tr data-testid={`pipeline-row-${pipeline.id}`}>
      <td>
        {renaming ? (
          <RenameForm pipeline={pipeline} onDone={rename} />
        ) : actions?.deleted ? (
          <span>{pipeline.name}</span>
        ) : (
          <Link to={`/pipelines/${pipeline.id}/`}>{pipeline.name}</Link>
        )}
      </td>
      <td>{pipeline.latest_version ?? '—'}</td>
      <td>{when(actions?.deleted ? (pipeline.deleted_at ?? null) : pipeline.updated_at)}</td>
      {actions && (
        <td>
          <RowActions pipeline={pipeline} actions={actions} onRename={() => setRenaming(true)} />
        </td>
      )}
    </tr>
  );
}

export function PipelineList({ pipelines, actions }: { pipelines: PipelineSummary[]; actions?: ListActions }) {
  if (pipelines.length === 0) {
    return <p className="muted">{actions?.deleted ? 'Nothing is deleted.' : 'No pipelines yet.'}</p>;
  }
  return (
    <table className="list-table" data-testid={actions?.deleted ? 'deleted-pipelines' : 'pipelines'}>
      <thead>
        <tr>
          <th>Pipeline</th>
          <th>Latest version</th>
          <th>{actions?.deleted ? 'Deleted' : 'Updated'}</th>
          {actions && <th />}
        </tr>
      </thead>
      <tbody>
        {pipelines.map((pipeline) => (
          <PipelineRow key={pipeline.id} pipeline={pipeline} actions={actions} />
        ))}
      </tbody>
    </table>
  );
}

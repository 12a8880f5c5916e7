/** For the owner: how much of the artifact store the workspace holds, and the retention rules, editable. */
import { type FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { Retention, RetentionRules, WorkspaceStorage } from '../api/types';
import { useFetched } from '../api/useFetched';
import { formatBytes } from '../ui/formatBytes';

type Field = keyof RetentionRules;

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The text of an override field: empty means "use the default". */
function fieldText(value: number | null): string {
  return value === null ? '' : String(value);
}

function RetentionForm({
  workspaceId,
  retention,
  onSaved,
}: {
  workspaceId: number;
  retention: Retention;
  onSaved: () => void;
}) {
  const [values, setValues] = useState({
    keep_days: fieldText(retention.override.keep_days),
    keep_last: fieldText(retention.override.keep_last),
  });
  const [error, setError] = useState('');
  useEffect(() => {
    setValues({
      keep_days: fieldText(retention.override.keep_days),
      keep_last: fieldText(retention.override.keep_last),
    });
  }, [retention]);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const number = (text: string) => (text.trim() === '' ? null : Number(text));
    try {
      setError('');
      await api.put(`/api/workspaces/${workspaceId}/retention/`, {
        keep_days: number(values.keep_days),
        keep_last: number(values.keep_last),
      });
      onSaved();
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };
  const input = (field: Field, label: string) => (
    <label className="retention-field">
      {label}
      <input
        type="number"
        min={0}
        aria-label={label}
        placeholder={`default ${retention.defaults[field]}`}
        value={values[field]}
        onChange={(event) => setValues({ ...values, [field]: event.target.value })}
      />
    </label>
  );
  return (
    <form className="inline-form" onSubmit={save} data-testid="retention-form">
      {input('keep_days', 'Days to keep outputs')}
      {input('keep_last', 'Last runs kept per pipeline')}
      <button type="submit">Save rules</button>
      {error && <span className="error-text">{error}</span>}
    </form>
  );
}

export function StorageCard({ workspaceId }: { workspaceId: number }) {
  const [refresh, setRefresh] = useState(0);
  const storage = useFetched<WorkspaceStorage>(`/api/workspaces/${workspaceId}/storage/`, refresh);
  return (
    <section className="card" data-testid="workspace-storage">
      <header className="card-header">
        <h2>Artifact storage</h2>
      </header>
      {storage.state === 'loading' && <p className="muted">Loading…</p>}
      {storage.state === 'error' && <p className="error-text">{storage.message}</p>}
      {storage.state === 'ready' && (
        <StorageFigures storage={storage.value} workspaceId={workspaceId} onSaved={() => setRefresh(refresh + 1)} />
      )}
    </section>
  );
}

function StorageFigures({
  storage,
  workspaceId,
  onSaved,
}: {
  storage: WorkspaceStorage;
  workspaceId: number;
  onSaved: () => void;
}) {
  const { rules } = storage.retention;
  const releasable = storage.releasable;
  return (
    <>
      <p data-testid="storage-size">
        Runs and the cache of this workspace refer to <strong>{formatBytes(storage.bytes)}</strong> in{' '}
        {plural(storage.artifacts, 'artifact')}.
      </p>
      <p data-testid="storage-releasable">
        {releasable.steps === 0
          ? 'The retention rules keep the outputs of every run for now.'
          : `The retention rules would release the outputs of ${plural(releasable.runs, 'run')} now, ` +
            `freeing ${formatBytes(releasable.bytes)}.`}
      </p>
      <p className="muted" data-testid="storage-rules">
        Outputs are kept for {plural(rules.keep_days, 'day')} after a run finishes, and always for the last{' '}
        {plural(rules.keep_last, 'run')} of each pipeline and for pinned runs. Leave a field empty for the default.
      </p>
      <RetentionForm workspaceId={workspaceId} retention={storage.retention} onSaved={onSaved} />
    </>
  );
}

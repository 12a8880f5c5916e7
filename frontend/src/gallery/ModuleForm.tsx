/** Publishing a module from the browser: name, category, description, typed ports and parameters,
 * the code (a monospace editor) and, optionally, a zip of helper files. */
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { GalleryModule, ParameterKind } from '../api/types';
import { PARAMETER_KINDS, type ModuleDraft, type ParameterRow, type PortRow, draftToSpec } from './moduleDraft';

function replaceAt<Row>(rows: Row[], index: number, change: Partial<Row>): Row[] {
  return rows.map((current, at) => (at === index ? { ...current, ...change } : current));
}

function RemoveButton({ onRemove }: { onRemove: () => void }) {
  return (
    <button type="button" className="link-button danger" onClick={onRemove}>
      Remove
    </button>
  );
}

interface ModuleFormProps {
  workspaceId: number;
  portTypes: string[];
  initial: ModuleDraft;
  /** A new version of an existing module: its name stays. */
  newVersionOf?: string | undefined;
  onPublished: (module: GalleryModule) => void;
  onCancel: () => void;
}

function PortRows({
  title,
  rows,
  portTypes,
  onChange,
  optional,
}: {
  title: string;
  rows: PortRow[];
  portTypes: string[];
  onChange: (rows: PortRow[]) => void;
  optional: boolean;
}) {
  const change = (index: number, row: Partial<PortRow>) => onChange(replaceAt(rows, index, row));
  return (
    <fieldset className="form-rows">
      <legend>{title}</legend>
      {rows.map((row, index) => (
        <div className="form-row" key={index}>
          <input
            aria-label={`${title} ${index + 1} name`}
            value={row.name}
            required
            onChange={(e) => change(index, { name: e.target.value })}
          />
          <select
            aria-label={`${title} ${index + 1} type`}
            value={row.type}
            onChange={(e) => change(index, { type: e.target.value })}
          >
            {portTypes.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
          {optional && (
            <label>
              <input
                type="checkbox"
                checked={row.optional}
                onChange={(e) => change(index, { optional: e.target.checked })}
              />{' '}
              optional
            </label>
          )}
          <RemoveButton onRemove={() => onChange(rows.filter((_, at) => at !== index))} />
        </div>
      ))}
      <button
        type="button"
        className="link-button"
        onClick={() => onChange([...rows, { name: '', type: 'table', optional: false }])}
      >
        + {title.toLowerCase().replace(/s$/, '')}
      </button>
    </fieldset>
  );
}

function ParameterRows({ rows, onChange }: { rows: ParameterRow[]; onChange: (rows: ParameterRow[]) => void }) {
  const change = (index: number, row: Partial<ParameterRow>) => onChange(replaceAt(rows, index, row));
  const blank: ParameterRow = { name: '', kind: 'string', label: '', defaultText: '', choicesText: '' };
  return (
    <fieldset className="form-rows">
      <legend>Parameters</legend>
      {rows.map((row, index) => (
        <div className="form-row" key={index}>
          <input
            aria-label={`Parameter ${index + 1} name`}
            value={row.name}
            required
            onChange={(e) => change(index, { name: e.target.value })}
          />
          <select
            aria-label={`Parameter ${index + 1} kind`}
            value={row.kind}
            onChange={(e) => change(index, { kind: e.target.value as ParameterKind })}
          >
            {PARAMETER_KINDS.map((kind) => (
              <option key={kind}>{kind}</option>
            ))}
          </select>
          <input
            aria-label={`Parameter ${index + 1} label`}
            placeholder="label"
            value={row.label}
            onChange={(e) => change(index, { label: e.target.value })}
          />
          <input
            aria-label={`Parameter ${index + 1} default`}
            placeholder="default"
            value={row.defaultText}
            onChange={(e) => change(index, { defaultText: e.target.value })}
          />
          {row.kind === 'choice' && (
            <input
              aria-label={`Parameter ${index + 1} choices`}
              placeholder="choices, comma-separated"
              value={row.choicesText}
              onChange={(e) => change(index, { choicesText: e.target.value })}
            />
          )}
          <RemoveButton onRemove={() => onChange(rows.filter((_, at) => at !== index))} />
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => onChange([...rows, blank])}>
        + parameter
      </button>
    </fieldset>
  );
}

export function ModuleForm({ workspaceId, portTypes, initial, newVersionOf, onPublished, onCancel }: ModuleFormProps) {
  const [draft, setDraft] = useState<ModuleDraft>(initial);
  const [bundle, setBundle] = useState<File | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const edit = (change: Partial<ModuleDraft>) => setDraft((current) => ({ ...current, ...change }));

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    const form = new FormData();
    form.append('spec', JSON.stringify(draftToSpec(draft)));
    form.append('code', draft.code);
    if (bundle) form.append('bundle', bundle);
    setBusy(true);
    try {
      setError('');
      onPublished(await api.upload<GalleryModule>(`/api/workspaces/${workspaceId}/modules/`, form));
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card module-form" onSubmit={publish} data-testid="module-form">
      <h2>{newVersionOf ? `New version of ${newVersionOf}` : 'New module'}</h2>
      <div className="form-grid">
        <label>
          Name
          <input
            value={draft.name}
            required
            disabled={Boolean(newVersionOf)}
            placeholder="lower_case_name"
            onChange={(e) => edit({ name: e.target.value })}
          />
        </label>
        <label>
          Display name
          <input value={draft.display_name} required onChange={(e) => edit({ display_name: e.target.value })} />
        </label>
        <label>
          Category
          <input value={draft.category} required onChange={(e) => edit({ category: e.target.value })} />
        </label>
        <label>
          Entry function
          <input value={draft.entry} onChange={(e) => edit({ entry: e.target.value })} />
        </label>
      </div>
      <label className="form-wide">
        Description
        <input value={draft.description} onChange={(e) => edit({ description: e.target.value })} />
      </label>
      <PortRows
        title="Inputs"
        rows={draft.inputs}
        portTypes={portTypes}
        optional
        onChange={(inputs) => edit({ inputs })}
      />
      <PortRows
        title="Outputs"
        rows={draft.outputs}
        portTypes={portTypes}
        optional={false}
        onChange={(outputs) => edit({ outputs })}
      />
      <ParameterRows rows={draft.parameters} onChange={(parameters) => edit({ parameters })} />
      <label className="form-wide">
        Code
        <textarea
          className="code-editor"
          spellCheck={false}
          rows={14}
          value={draft.code}
          onChange={(e) => edit({ code: e.target.value })}
        />
      </label>
      <label className="form-wide">
        Helper files (a zip, optional)
        <input type="file" accept=".zip,application/zip" onChange={(e) => setBundle(e.target.files?.[0] ?? null)} />
      </label>
      {error && (
        <p className="error-text" data-testid="module-form-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Publish
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A form that uploads a file: a new dataset (with a name) or a new version of one. */
import { type FormEvent, useRef, useState } from 'react';
import { api, errorMessage } from '../api/client';

const FORMATS = ['auto', 'csv', 'tsv', 'parquet', 'json', 'xlsx', 'zip'];

interface UploadFormProps {
  url: string;
  /** With a name field: the form makes a new dataset. */
  named: boolean;
  submitLabel: string;
  onUploaded: (answer: unknown) => void;
  testId: string;
}

export function UploadForm({ url, named, submitLabel, onUploaded, testId }: UploadFormProps) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [fileFormat, setFileFormat] = useState('auto');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return setError('Choose a file first.');
    const form = new FormData();
    form.append('file', file);
    form.append('file_format', fileFormat);
    if (named) {
      form.append('name', name);
      form.append('description', description);
    }
    setBusy(true);
    setError('');
    try {
      onUploaded(await api.upload(url, form));
      setName('');
      setDescription('');
      if (fileInput.current) fileInput.current.value = '';
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form upload-form" onSubmit={submit} data-testid={testId}>
      {named && (
        <>
          <input
            aria-label="Dataset name"
            placeholder="Dataset name"
            value={name}
            required
            onChange={(e) => setName(e.target.value)}
          />
          <input
            aria-label="Description"
            placeholder="Description (optional)"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </>
      )}
      <input
        ref={fileInput}
        type="file"
        aria-label="File"
        accept=".csv,.tsv,.tab,.parquet,.pq,.json,.jsonl,.ndjson,.xlsx,.zip"
        required
      />
      <select aria-label="File format" value={fileFormat} onChange={(event) => setFileFormat(event.target.value)}>
        {FORMATS.map((format) => (
          <option key={format} value={format}>
            {format === 'auto' ? 'format: detect' : format}
          </option>
        ))}
      </select>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Uploading…' : submitLabel}
      </button>
      {error && (
        <span className="error-text" data-testid="upload-error">
          {error}
        </span>
      )}
    </form>
  );
}

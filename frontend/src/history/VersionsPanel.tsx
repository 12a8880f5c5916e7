/** The pipeline's history: save a version with a message, open one read-only, pick two to compare. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useFetched } from '../api/useFetched';
import type { DraftSaver } from '../canvas/draftSaver';
import { formatWhen, versionTitle } from './format';
import { HistoryPanelFrame } from './HistoryPanelFrame';
import { HistoryRow, pickTwo } from './HistoryRow';
import { useHistoryStore } from './historyStore';
import type { VersionSummary } from './types';
import { saveVersion } from './versionActions';

function SaveVersionForm({ pipelineId, saver }: { pipelineId: number; saver: DraftSaver }) {
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const focusRequests = useHistoryStore((state) => state.focusRequests);
  useEffect(() => {
    if (focusRequests > 0) field.current?.focus();
  }, [focusRequests]);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    if (await saveVersion(pipelineId, saver, message.trim())) setMessage('');
    setSaving(false);
  };
  return (
    <form className="save-version" onSubmit={save} data-testid="save-version-form">
      <input
        ref={field}
        aria-label="Version message"
        placeholder="What is this version? (Ctrl+Shift+S)"
        value={message}
        maxLength={500}
        required
        onChange={(event) => setMessage(event.target.value)}
      />
      <button type="submit" className="primary" disabled={saving || !message.trim()}>
        Save version
      </button>
    </form>
  );
}

function versionMeta(version: VersionSummary): string {
  const runs =
    version.made_by_run !== null
      ? ` · made by run ${version.made_by_run}`
      : version.run_count > 0
        ? ` · ${version.run_count} run${version.run_count === 1 ? '' : 's'}`
        : '';
  return `${version.created_by ?? 'someone'} · ${formatWhen(version.created_at)}${runs}`;
}

interface VersionsPanelProps {
  pipelineId: number;
  /** Present when the person may save versions of the draft shown. */
  saver: DraftSaver | null;
  go: (path: string) => void;
  current?: number;
}

export function VersionsPanel({ pipelineId, saver, go, current }: VersionsPanelProps) {
  const changes = useHistoryStore((state) => state.changes);
  const versions = useFetched<VersionSummary[]>(`/api/pipelines/${pipelineId}/versions/`, changes);
  const [picked, setPicked] = useState<number[]>([]);
  const pick = (number: number, on: boolean) => setPicked((list) => pickTwo(list, number, on, (a, b) => a === b));
  const [older, newer] = [...picked].sort((a, b) => a - b);
  return (
    <HistoryPanelFrame title="Versions" testId="versions-panel">
      {saver && <SaveVersionForm pipelineId={pipelineId} saver={saver} />}
      <div className="history-actions">
        <button
          type="button"
          data-testid="compare-versions"
          disabled={picked.length !== 2}
          onClick={() => go(`/pipelines/${pipelineId}/compare/${older}/${newer}/`)}
        >
          Compare picked
        </button>
        <span className="muted">{picked.length === 2 ? `v${older} → v${newer}` : 'Pick two versions'}</span>
      </div>
      {versions.state === 'loading' && <p className="muted">Loading…</p>}
      {versions.state === 'error' && <p className="error-text">{versions.message}</p>}
      {versions.state === 'ready' && versions.value.length === 0 && (
        <p className="muted">No versions yet: a run records one, or save one with a message.</p>
      )}
      {versions.state === 'ready' && (
        <ul className="history-list">
          {versions.value.map((version) => (
            <HistoryRow
              key={version.number}
              testId={`version-${version.number}`}
              what={`version ${version.number}`}
              current={version.number === current}
              picked={picked.includes(version.number)}
              onPick={(on) => pick(version.number, on)}
              onOpen={() => go(`/pipelines/${pipelineId}/versions/${version.number}/`)}
              title={
                <>
                  <strong>v{version.number}</strong> {versionTitle(version)}
                </>
              }
              meta={versionMeta(version)}
            />
          ))}
        </ul>
      )}
    </HistoryPanelFrame>
  );
}

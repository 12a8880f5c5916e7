/** Importing graph files as new pipelines: drop them on the list, or pick them with the button. */
import { type DragEvent, type ReactNode, useRef, useState } from 'react';
import { api } from '../api/client';
import type { PipelineDetail } from '../api/types';
import { carriesFiles, pipelineNameOf, readDroppedFile, refusalMessage } from '../files/graphFiles';
import { showToast } from '../ui/toasts';

async function importFile(workspaceId: number, file: File): Promise<string | null> {
  const parsed = await readDroppedFile(file);
  if ('error' in parsed) return parsed.error;
  try {
    const body = { name: pipelineNameOf(file.name), graph: parsed.document };
    const pipeline = await api.post<PipelineDetail>(`/api/workspaces/${workspaceId}/pipelines/`, body);
    showToast(`Imported ${file.name} as ${pipeline.name}.`, 'info');
    return null;
  } catch (error) {
    return refusalMessage(file.name, error);
  }
}

interface GraphImportProps {
  workspaceId: number;
  onImported: () => void;
  children: ReactNode;
}

/** Wraps the pipelines list: a graph file dropped on it becomes a pipeline; problems stay in view. */
export function GraphImportZone({ workspaceId, onImported, children }: GraphImportProps) {
  const [over, setOver] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const picker = useRef<HTMLInputElement>(null);
  const importAll = async (files: File[]) => {
    const results = await Promise.all(files.map((file) => importFile(workspaceId, file)));
    setProblems(results.filter((result): result is string => result !== null));
    if (results.some((result) => result === null)) onImported();
  };
  const allow = (event: DragEvent) => {
    if (!carriesFiles(event.dataTransfer.types)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void importAll([...event.dataTransfer.files]);
  };
  return (
    <section
      className={`card import-zone${over ? ' is-over' : ''}`}
      data-testid="import-zone"
      onDragOver={allow}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <div className="import-bar">
        <span className="muted">Drop a graph file (.json) here to import it as a pipeline, or</span>
        <button type="button" onClick={() => picker.current?.click()}>
          Import a file…
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,application/json"
          multiple
          hidden
          data-testid="import-file"
          onChange={(event) => void importAll([...(event.target.files ?? [])]).then(() => (event.target.value = ''))}
        />
      </div>
      {problems.length > 0 && (
        <div className="banner banner-error import-problems" data-testid="import-problems" role="alert">
          {problems.map((problem) => (
            <div key={problem}>{problem}</div>
          ))}
        </div>
      )}
      {children}
    </section>
  );
}

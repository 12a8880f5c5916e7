/** Autosave of the draft: debounced after each edit, one request at a time, based on the last revision.
 * A 409 means someone else saved first: saving stops and the page offers a reload, never an overwrite. */
import { create } from 'zustand';
import { ApiError, api, errorMessage } from '../api/client';
import type { Graph, SaveResult } from '../api/types';
import { useCanvasStore } from './canvasStore';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'conflict' | 'error';

interface SaveState {
  status: SaveStatus;
  message: string;
}

export const useSaveStore = create<SaveState>()(() => ({ status: 'saved', message: '' }));

const DEBOUNCE_MS = 600;
const CONFLICT_MESSAGE = 'This pipeline was changed elsewhere — reload to see the latest version.';

/** Someone else changed the draft: stop saving and offer a reload (also after a refused restore). */
export function markConflict(): void {
  useSaveStore.setState({ status: 'conflict', message: CONFLICT_MESSAGE });
}

function describe(error: unknown): string {
  if (error instanceof ApiError && Array.isArray(error.body.errors)) {
    return `${error.message}: ${error.body.errors.map(String).join('; ')}`;
  }
  return errorMessage(error);
}

export class DraftSaver {
  private revision: number;
  private savedEdits: number;
  private timer: number | undefined;
  private running: Promise<void> | null = null;
  /** After dispose the canvas may show another pipeline: a late answer must not touch it. */
  private disposed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly pipelineId: number,
    revision: number,
  ) {
    this.revision = revision;
    this.savedEdits = useCanvasStore.getState().edits;
    useSaveStore.setState({ status: 'saved', message: '' });
    this.unsubscribe = useCanvasStore.subscribe((state, previous) => {
      if (state.edits !== previous.edits) this.schedule();
    });
    window.addEventListener('beforeunload', this.warnIfUnsaved);
  }

  /** Stops watching the canvas; an edit still waiting for its debounce is saved now, as it is. */
  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.timer);
    this.unsubscribe();
    window.removeEventListener('beforeunload', this.warnIfUnsaved);
    const canvas = useCanvasStore.getState();
    if (!this.stopped() && canvas.edits !== this.savedEdits) {
      const graph = canvas.graph();
      const edits = canvas.edits;
      void (async () => {
        while (this.running) await this.running;
        await this.save(graph, edits);
      })();
    }
  }

  private readonly warnIfUnsaved = (event: BeforeUnloadEvent) => {
    if (useSaveStore.getState().status !== 'saved') event.preventDefault();
  };

  /** The draft revision the server holds for what this tab last saved. */
  get currentRevision(): number {
    return this.revision;
  }

  /** Saves now if anything is unsaved; true when the server has the current graph. */
  async flush(): Promise<boolean> {
    window.clearTimeout(this.timer);
    while (this.running) await this.running;
    if (this.stopped()) return false;
    if (useCanvasStore.getState().edits !== this.savedEdits) {
      const canvas = useCanvasStore.getState();
      this.running = this.save(canvas.graph(), canvas.edits).finally(() => (this.running = null));
      await this.running;
    }
    return useSaveStore.getState().status === 'saved';
  }

  private stopped(): boolean {
    return useSaveStore.getState().status === 'conflict';
  }

  private schedule(): void {
    if (this.stopped() || this.disposed) return;
    useSaveStore.setState({ status: 'pending', message: '' });
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** Sends `graph`, the canvas as it was after `edits` edits. */
  private async save(graph: Graph, edits: number): Promise<void> {
    if (!this.disposed) useSaveStore.setState({ status: 'saving', message: '' });
    try {
      const result = await api.put<SaveResult>(`/api/pipelines/${this.pipelineId}/draft/`, {
        graph,
        revision: this.revision,
      });
      this.revision = result.revision;
      this.savedEdits = edits;
      if (this.disposed) return;
      useCanvasStore.getState().setProblems(result.problems);
      useCanvasStore.getState().setSchemas(result.schemas ?? {});
      const unsaved = useCanvasStore.getState().edits !== edits;
      useSaveStore.setState({ status: unsaved ? 'pending' : 'saved', message: '' });
      if (unsaved) this.schedule();
    } catch (error) {
      if (this.disposed) return;
      if (error instanceof ApiError && error.status === 409) markConflict();
      else useSaveStore.setState({ status: 'error', message: describe(error) });
    }
  }
}

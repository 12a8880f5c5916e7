/** Live run status: the run being watched, and each step's status, kept in order by `seq`. */
import { create } from 'zustand';
import type { RunEvent, RunSnapshot, RunStatus, StepSnapshot, StepStatus } from '../api/types';

export const FINISHED: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'canceled']);

interface RunState {
  run: RunSnapshot | null;
  steps: Record<string, StepSnapshot>;
  seq: number;
  /** Events that arrived on the socket before the snapshot they follow. */
  buffered: RunEvent[];
  snapshotLoaded: boolean;
  watch: (run: RunSnapshot | null) => void;
  applySnapshot: (run: RunSnapshot) => void;
  receive: (event: RunEvent) => void;
}

function stepsByNode(run: RunSnapshot): Record<string, StepSnapshot> {
  return Object.fromEntries((run.steps ?? []).map((step) => [step.node, step]));
}

function applyEvent(
  state: Pick<RunState, 'run' | 'steps' | 'seq'>,
  event: RunEvent,
): Pick<RunState, 'run' | 'steps' | 'seq'> {
  if (!state.run || event.run !== state.run.id || event.seq <= state.seq) return state;
  if (event.type === 'run') {
    return { ...state, seq: event.seq, run: { ...state.run, status: event.status, error: event.error ?? '' } };
  }
  const step = state.steps[event.node];
  const updated: StepSnapshot = step
    ? {
        ...step,
        status: event.status,
        error: event.error ?? '',
        reason: event.reason ?? step.reason,
        waiting: event.waiting ?? '',
        started_at: event.started_at ?? step.started_at,
        progress: event.status === 'running' && event.started_at ? null : step.progress,
      }
    : {
        node: event.node,
        module: '',
        version: '',
        status: event.status,
        attempt: 0,
        started_at: event.started_at ?? null,
        finished_at: null,
        error: event.error ?? '',
        outputs: {},
        waiting: event.waiting ?? '',
      };
  return { ...state, seq: event.seq, steps: { ...state.steps, [event.node]: updated } };
}

export const useRunStore = create<RunState>()((set) => ({
  run: null,
  steps: {},
  seq: 0,
  buffered: [],
  snapshotLoaded: false,
  watch: (run) =>
    set({
      run,
      steps: run ? stepsByNode(run) : {},
      seq: run?.seq ?? 0,
      buffered: [],
      snapshotLoaded: run?.steps !== undefined,
    }),
  applySnapshot: (run) =>
    set((state) => {
      if (state.run && state.run.id !== run.id) return state;
      let next: Pick<RunState, 'run' | 'steps' | 'seq'> = { run, steps: stepsByNode(run), seq: run.seq };
      for (const event of state.buffered) next = applyEvent(next, event);
      return { ...next, buffered: [], snapshotLoaded: true };
    }),
  receive: (event) =>
    set((state) => (state.snapshotLoaded ? applyEvent(state, event) : { buffered: [...state.buffered, event] })),
}));

export function useStepStatus(nodeId: string): StepStatus | 'idle' {
  return useRunStore((state) => state.steps[nodeId]?.status ?? 'idle');
}

export function useStep(nodeId: string | undefined): StepSnapshot | undefined {
  return useRunStore((state) => (nodeId ? state.steps[nodeId] : undefined));
}

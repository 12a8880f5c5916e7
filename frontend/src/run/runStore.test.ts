import { beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent, RunSnapshot } from '../api/types';
import { useRunStore } from './runStore';

function snapshot(seq: number, status: RunSnapshot['status'] = 'running'): RunSnapshot {
  const step = { module: 'm', version: '1', attempt: 1, started_at: null, finished_at: null, error: '', outputs: {} };
  return {
    id: 7,
    number: 1,
    pipeline: 1,
    version: 1,
    status,
    seq,
    created_at: '',
    started_at: null,
    finished_at: null,
    error: '',
    steps: [
      { ...step, node: 'a', status: 'completed' },
      { ...step, node: 'b', status: 'running' },
    ],
  };
}

const step = (seq: number, node: string, status: 'running' | 'completed' | 'failed'): RunEvent => ({
  type: 'step',
  run: 7,
  seq,
  node,
  status,
  error: null,
});

const statuses = () => Object.fromEntries(Object.values(useRunStore.getState().steps).map((s) => [s.node, s.status]));

describe('run store', () => {
  beforeEach(() => {
    useRunStore.getState().watch({ ...snapshot(0, 'queued'), steps: undefined });
  });

  it('buffers events until the snapshot, then applies only the newer ones', () => {
    useRunStore.getState().receive(step(3, 'b', 'running'));
    useRunStore.getState().receive(step(5, 'b', 'completed'));
    expect(statuses()).toEqual({});

    useRunStore.getState().applySnapshot(snapshot(4));

    expect(statuses()).toEqual({ a: 'completed', b: 'completed' });
    expect(useRunStore.getState().seq).toBe(5);
  });

  it('ignores repeated, older and foreign events after the snapshot', () => {
    useRunStore.getState().applySnapshot(snapshot(4));
    useRunStore.getState().receive(step(4, 'b', 'failed'));
    useRunStore.getState().receive({ ...step(9, 'b', 'failed'), run: 8 });
    expect(statuses()).toEqual({ a: 'completed', b: 'running' });

    useRunStore.getState().receive({ type: 'run', run: 7, seq: 6, status: 'completed', error: null });
    expect(useRunStore.getState().run?.status).toBe('completed');
  });
});

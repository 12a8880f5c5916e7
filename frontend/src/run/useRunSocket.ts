/** Follows a run live: open the socket, then load the snapshot, then apply newer events; reconnect with backoff. */
import { useEffect } from 'react';
import { api } from '../api/client';
import type { RunEvent, RunSnapshot, StepReport } from '../api/types';
import { useReportStore } from './reportStore';
import { FINISHED, useRunStore } from './runStore';

const MAX_BACKOFF_MS = 10_000;
/** The server's close code for "you may not watch this run": retrying cannot help. */
const CLOSE_NOT_ALLOWED = 4403;

function socketUrl(runId: number): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws/runs/${runId}/`;
}

function runFinished(runId: number): boolean {
  const run = useRunStore.getState().run;
  return run !== null && run.id === runId && FINISHED.has(run.status);
}

async function loadSnapshot(runId: number): Promise<void> {
  const snapshot = await api.get<RunSnapshot>(`/api/runs/${runId}/`);
  useRunStore.getState().applySnapshot(snapshot);
}

export function useRunSocket(runId: number | null): void {
  useEffect(() => {
    if (runId === null || runFinished(runId)) return;
    let socket: WebSocket | null = null;
    let retry: number | undefined;
    let failures = 0;
    let done = false;

    const finish = () => {
      done = true;
      window.clearTimeout(retry);
      socket?.close();
    };
    // The final snapshot brings what events do not carry: output digests, times.
    const finishIfOver = () => {
      if (!done && runFinished(runId)) {
        finish();
        void loadSnapshot(runId).catch(() => undefined);
      }
    };
    const connect = () => {
      if (done) return;
      useRunStore.setState({ snapshotLoaded: false, buffered: [] });
      const current = new WebSocket(socketUrl(runId));
      socket = current;
      current.onopen = () => {
        loadSnapshot(runId)
          .then(() => {
            failures = 0;
            finishIfOver();
          })
          .catch(() => current.close());
      };
      current.onmessage = (message: MessageEvent<string>) => {
        const event = JSON.parse(message.data) as RunEvent | StepReport;
        if (event.type === 'report') return useReportStore.getState().receive(event);
        useRunStore.getState().receive(event);
        finishIfOver();
      };
      current.onclose = (event: CloseEvent) => {
        if (done || socket !== current) return;
        if (event.code === CLOSE_NOT_ALLOWED) return finish();
        failures += 1;
        retry = window.setTimeout(connect, Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 6)));
      };
    };

    connect();
    return finish;
  }, [runId]);
}

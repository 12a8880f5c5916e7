/** On a running node: how long it has run, and how far it got when its module reports progress. */
import { useEffect, useState } from 'react';
import { useNodeReports } from './reportStore';
import { useRunStore, useStep } from './runStore';

export function formatElapsed(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const two = (value: number) => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes % 60)}:${two(seconds % 60)}` : `${minutes}:${two(seconds % 60)}`;
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function RunningFor({ since }: { since: string | null }) {
  const now = useNow(1000);
  const [seen] = useState(() => Date.now()); // when the start time is unknown: since this node saw it run
  const start = since ? Date.parse(since) : seen;
  return <span data-testid="node-elapsed">{formatElapsed(now - start)}</span>;
}

export function StepProgress({ nodeId }: { nodeId: string }) {
  const step = useStep(nodeId);
  const runId = useRunStore((state) => state.run?.id ?? null);
  const reports = useNodeReports(runId, nodeId);
  if (!step || step.status !== 'running') return null;
  const progress = reports.progress ?? step.progress ?? null;
  const percent = progress ? Math.round((100 * progress.done) / progress.total) : 0;
  return (
    <div className="node-progress" data-testid="node-progress">
      <RunningFor since={step.started_at} />
      {progress && (
        <>
          <div
            className="progress-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={progress.total}
            aria-valuenow={progress.done}
          >
            <div className="progress-fill" style={{ width: `${percent}%` }} />
          </div>
          <span data-testid="node-progress-count">
            {progress.done}/{progress.total}
          </span>
        </>
      )}
    </div>
  );
}

/** A workspace's compute targets: where steps run, their limits, and the workers serving each now.
 * The owner adds, changes and removes targets; everyone sees how to start a worker for one. */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { ComputeTarget } from '../api/types';
import { Link } from '../router';
import { AppHeader } from '../ui/AppHeader';
import { useWorkspace } from './useWorkspace';

const REFRESH_MS = 5000; // workers come and go: keep the list current

type Limits = Pick<ComputeTarget, 'timeout_seconds' | 'cpu_seconds' | 'memory_mb'>;

function limitsText(target: Limits): string {
  const parts = [
    target.timeout_seconds && `${target.timeout_seconds} s per step`,
    target.cpu_seconds && `${target.cpu_seconds} s of CPU`,
    target.memory_mb && `${target.memory_mb} MB of memory`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none';
}

function numberOrNull(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}

function AddTargetForm({ onAdd }: { onAdd: (body: Record<string, unknown>) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [timeoutSeconds, setTimeoutSeconds] = useState('');
  const [cpu, setCpu] = useState('');
  const [memory, setMemory] = useState('');
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name,
      description,
      timeout_seconds: numberOrNull(timeoutSeconds),
      cpu_seconds: numberOrNull(cpu),
      memory_mb: numberOrNull(memory),
    };
    if (await onAdd(body))
      [setName, setDescription, setTimeoutSeconds, setCpu, setMemory].forEach((clear) => clear(''));
  };
  return (
    <form className="inline-form" onSubmit={add} data-testid="add-target-form">
      <input
        aria-label="Target name"
        placeholder="name, e.g. gpu"
        value={name}
        required
        onChange={(e) => setName(e.target.value)}
      />
      <input
        aria-label="Description"
        placeholder="What runs there"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <input
        aria-label="Timeout (s)"
        placeholder="timeout s"
        type="number"
        min="1"
        value={timeoutSeconds}
        onChange={(e) => setTimeoutSeconds(e.target.value)}
      />
      <input
        aria-label="CPU time (s)"
        placeholder="CPU s"
        type="number"
        min="1"
        value={cpu}
        onChange={(e) => setCpu(e.target.value)}
      />
      <input
        aria-label="Memory (MB)"
        placeholder="memory MB"
        type="number"
        min="1"
        value={memory}
        onChange={(e) => setMemory(e.target.value)}
      />
      <button type="submit" className="primary">
        Add target
      </button>
    </form>
  );
}

function TargetRow({
  target,
  canChange,
  onRemove,
}: {
  target: ComputeTarget;
  canChange: boolean;
  onRemove: () => void;
}) {
  const workers = target.workers ?? [];
  return (
    <tr data-testid={`target-${target.name}`}>
      <td>
        <strong>{target.name}</strong>
        {target.description && <div className="muted">{target.description}</div>}
      </td>
      <td>
        <code>{target.queue}</code>
      </td>
      <td>{limitsText(target)}</td>
      <td data-testid={`workers-${target.name}`}>
        {workers.length === 0 ? (
          <span className="warning-text">
            no worker: start one with <code>{target.worker_command}</code>
          </span>
        ) : (
          workers.map((worker) => (
            <div key={worker.name} title={`steps run as ${worker.steps_run_as}; last seen ${worker.last_seen_at}`}>
              {worker.name} ({worker.concurrency} at once)
            </div>
          ))
        )}
      </td>
      {canChange && (
        <td>
          {!target.default && (
            <button type="button" className="link-button danger" onClick={onRemove}>
              Remove
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

export function ComputeTargetsPage({ workspaceId }: { workspaceId: number }) {
  const workspace = useWorkspace(workspaceId);
  const [targets, setTargets] = useState<ComputeTarget[] | null>(null);
  const [error, setError] = useState('');
  const base = `/api/workspaces/${workspaceId}/compute-targets/`;
  const reload = useCallback(
    () => api.get<ComputeTarget[]>(base).then(setTargets, (reason: unknown) => setError(errorMessage(reason))),
    [base],
  );
  useEffect(() => {
    void reload();
    const timer = window.setInterval(() => void reload(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const isOwner = workspace?.role === 'owner';
  const act = async (request: () => Promise<unknown>): Promise<boolean> => {
    try {
      setError('');
      await request();
      await reload();
      return true;
    } catch (reason) {
      setError(errorMessage(reason));
      return false;
    }
  };
  return (
    <div className="page page-list">
      <AppHeader
        trail={
          <>
            <Link to="/">Workspaces</Link>
            <span aria-hidden="true">›</span>
            <Link to={`/workspaces/${workspaceId}/`}>{workspace?.name ?? '…'}</Link>
            <span aria-hidden="true">›</span>
            <strong>Compute targets</strong>
          </>
        }
      />
      <main className="content">
        <h1>Compute targets</h1>
        <p className="muted">
          A node runs on the target chosen in its properties, or on the default one. Each target is a queue that workers
          serve; its limits hold for every step it runs.
        </p>
        {isOwner && <AddTargetForm onAdd={(body) => act(() => api.post(base, body))} />}
        {error && (
          <p className="error-text" data-testid="targets-error">
            {error}
          </p>
        )}
        <section className="card">
          {targets === null ? (
            <p className="muted">Loading…</p>
          ) : (
            <table className="list-table" data-testid="targets-table">
              <thead>
                <tr>
                  <th>Target</th>
                  <th>Queue</th>
                  <th>Limits per step</th>
                  <th>Workers now</th>
                  {isOwner && <th />}
                </tr>
              </thead>
              <tbody>
                {targets.map((target) => (
                  <TargetRow
                    key={target.name}
                    target={target}
                    canChange={isOwner}
                    onRemove={() => void act(() => api.delete(`${base}${target.name}/`))}
                  />
                ))}
              </tbody>
            </table>
          )}
        </section>
      </main>
    </div>
  );
}

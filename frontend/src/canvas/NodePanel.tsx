/** The right-hand panel for the selected node: its parameters, and, once it ran, its log and outputs. */
import { useState } from 'react';
import type { Problem } from '../api/types';
import { useModuleSpec } from '../catalog/catalogStore';
import { OutputPreview } from '../run/OutputPreview';
import { useRunStore, useStep } from '../run/runStore';
import type { RunOptions } from '../run/startRun';
import { StepLog } from '../run/StepLog';
import { StepMetrics } from '../run/StepMetrics';
import { useNodeProblems } from './canvasStore';
import type { ModuleNode } from './graphFormat';
import { PropertiesForm } from './PropertiesForm';
import { VersionUpgrade } from './VersionUpgrade';

type Tab = 'properties' | 'log' | 'metrics' | 'outputs';

function ProblemSummary({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="panel-problems" data-testid="panel-problems">
      {problems.map((problem, index) => (
        <li key={index}>{problem.message}</li>
      ))}
    </ul>
  );
}

function OutputsTab({ runId, node, ports }: { runId: number; node: string; ports: string[] }) {
  const [port, setPort] = useState(ports[0] ?? '');
  if (ports.length === 0) return <p className="muted">This step has no outputs yet.</p>;
  const shown = ports.includes(port) ? port : (ports[0] as string);
  return (
    <div className="outputs-tab">
      {ports.length > 1 && (
        <div className="port-picker" role="tablist" aria-label="Output ports">
          {ports.map((name) => (
            <button key={name} type="button" role="tab" aria-selected={name === shown} onClick={() => setPort(name)}>
              {name}
            </button>
          ))}
        </div>
      )}
      <OutputPreview key={shown} runId={runId} node={node} port={shown} />
    </div>
  );
}

interface NodePanelProps {
  node: ModuleNode;
  readOnly: boolean;
  /** Start a partial run at this node; absent for readers. */
  onRun?: ((options: RunOptions) => void) | undefined;
}

/** Run this node and what it needs, or re-run it and what follows: for a module or a group. */
export function PartialRunButtons({ nodeId, onRun }: { nodeId: string; onRun: (options: RunOptions) => void }) {
  return (
    <div className="partial-run">
      <button type="button" data-testid="run-up-to" onClick={() => onRun({ up_to: nodeId })}>
        Run up to here
      </button>
      <button type="button" data-testid="run-from" onClick={() => onRun({ from: nodeId })}>
        Re-run from here
      </button>
    </div>
  );
}

export function NodePanel({ node, readOnly, onRun }: NodePanelProps) {
  const spec = useModuleSpec(node.data.module, node.data.version);
  const problems = useNodeProblems(node.id);
  const step = useStep(node.id);
  const runId = useRunStore((state) => state.run?.id ?? null);
  const [tab, setTab] = useState<Tab>('properties');
  const ran = step !== undefined && runId !== null && step.status !== 'pending';
  const current = ran ? tab : 'properties';
  const outputPorts = step ? Object.keys(step.outputs) : [];
  const tabs: [Tab, string][] = [
    ['properties', 'Parameters'],
    ['log', 'Log'],
    ['metrics', 'Metrics'],
    ['outputs', 'Outputs'],
  ];
  return (
    <aside className="node-panel" aria-label="Selected module" data-testid="node-panel">
      <header>
        <h2>{spec?.display_name ?? node.data.module}</h2>
        <code className="muted">{node.id}</code>
        {spec?.description && <p className="muted">{spec.description}</p>}
      </header>
      <ProblemSummary problems={problems} />
      <VersionUpgrade node={node} readOnly={readOnly} />
      {step?.reason && (
        <p className="step-reason" data-testid="step-reason">
          {step.status === 'cached' ? step.reason : `Ran: ${step.reason}`}
        </p>
      )}
      {step?.status === 'queued' && step.waiting && (
        <p className="warning-text" data-testid="step-waiting">
          {step.waiting}. Start a worker for it (see the workspace's compute targets).
        </p>
      )}
      {onRun && !readOnly && <PartialRunButtons nodeId={node.id} onRun={onRun} />}
      {ran && (
        <div className="tabs" role="tablist">
          {tabs.map(([name, label]) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={current === name}
              data-testid={`tab-${name}`}
              onClick={() => setTab(name)}
            >
              {label}
            </button>
          ))}
        </div>
      )}
      <div className="panel-body">
        {current === 'properties' &&
          (spec ? (
            <PropertiesForm node={node} spec={spec} problems={problems} readOnly={readOnly} />
          ) : (
            <p className="error-text">
              The catalog has no module {node.data.module} version {node.data.version}.
            </p>
          ))}
        {current === 'log' && step && runId !== null && <StepLog runId={runId} step={step} />}
        {current === 'metrics' && step && runId !== null && (
          <StepMetrics runId={runId} node={node.id} status={step.status} />
        )}
        {current === 'outputs' && step && runId !== null && (
          <OutputsTab runId={runId} node={node.id} ports={outputPorts} />
        )}
      </div>
    </aside>
  );
}

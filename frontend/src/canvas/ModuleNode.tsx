/** The one node type: a module drawn from its spec, a handle per port, its problems and its run status. */
import { Handle, type NodeProps, Position, useUpdateNodeInternals } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import type { PortSpec, Problem, StepStatus } from '../api/types';
import { useModuleSpec, versionNotice } from '../catalog/catalogStore';
import { DatasetPin } from '../datasets/DatasetPin';
import { useRunStore, useStepStatus } from '../run/runStore';
import { StepProgress } from '../run/StepProgress';
import { useNodeProblems } from './canvasStore';
import type { ModuleNode as ModuleNodeType } from './graphFormat';
import { portColor } from './portColor';
import { NoteCard } from '../notes/NoteCard';
import { GroupNode } from '../groups/GroupNode';

export const STATUS_LABEL: Record<StepStatus | 'idle', string> = {
  idle: '',
  pending: 'Pending',
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  cached: 'Cached',
  failed: 'Failed',
  skipped: 'Skipped',
  canceled: 'Canceled',
};

export function PortHandle({ port, kind }: { port: PortSpec; kind: 'source' | 'target' }) {
  return (
    <div
      className={`port port-${kind}`}
      title={`${port.label} (${port.type})${port.description ? ` — ${port.description}` : ''}`}
    >
      <Handle
        type={kind}
        id={port.name}
        position={kind === 'target' ? Position.Left : Position.Right}
        className="port-handle"
        style={{ background: portColor(port.type) }}
      />
      <span className="port-label">
        {port.label}
        {port.optional ? ' (optional)' : ''}
      </span>
    </div>
  );
}

/** A node's handles: its inputs down the left side, its outputs down the right. */
export function NodePorts({ inputs, outputs }: { inputs: PortSpec[]; outputs: PortSpec[] }) {
  return (
    <div className="node-ports">
      <div className="ports ports-in">
        {inputs.map((port) => (
          <PortHandle key={port.name} port={port} kind="target" />
        ))}
      </div>
      <div className="ports ports-out">
        {outputs.map((port) => (
          <PortHandle key={port.name} port={port} kind="source" />
        ))}
      </div>
    </div>
  );
}

export function ProblemList({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="node-problems">
      {problems.map((problem, index) => (
        <li key={index}>{problem.message}</li>
      ))}
    </ul>
  );
}

/** Another version of the module has other ports: React Flow must measure the node's handles again.
 * Not on mount: React Flow measures a new node itself, and one update per node there would make
 * opening a graph of n nodes cost n full passes over all of them. */
export function useHandlesFollowSpec(id: string, spec: unknown): void {
  const updateNodeInternals = useUpdateNodeInternals();
  const measuredSpec = useRef(spec);
  useEffect(() => {
    if (measuredSpec.current === spec) return;
    measuredSpec.current = spec;
    updateNodeInternals(id);
  }, [id, spec, updateNodeInternals]);
}

function ModuleNodeView({ id, data, selected }: NodeProps<ModuleNodeType>) {
  const spec = useModuleSpec(data.module, data.version);
  const problems = useNodeProblems(id);
  const status = useStepStatus(id);
  const waiting = useRunStore((state) => (status === 'queued' ? state.steps[id]?.waiting : '') ?? '');
  const problemAttribute = problems.length > 0 ? (problems[0]?.code ?? 'true') : 'false';
  const notice = versionNotice(spec);
  useHandlesFollowSpec(id, spec);
  const className = [
    'module-node',
    `status-${status}`,
    problems.length > 0 ? 'has-problem' : '',
    selected ? 'is-selected' : '',
  ].join(' ');
  return (
    <div className={className} data-testid={`node-${id}`} data-status={status} data-problem={problemAttribute}>
      <div className="node-header">
        <div className="node-title">{spec?.display_name ?? `${data.module} (unknown module)`}</div>
        {status !== 'idle' && <div className={`node-status node-status-${status}`}>{STATUS_LABEL[status]}</div>}
      </div>
      {notice && (
        <div className={`node-version node-version-${notice.status}`} data-testid="version-badge" title={notice.text}>
          v{data.version} · {notice.status === 'update' ? 'update available' : notice.status}
        </div>
      )}
      {spec && <DatasetPin spec={spec} parameters={data.parameters} />}
      {typeof data.extra.compute_target === 'string' && data.extra.compute_target && (
        <div className="node-target" data-testid="node-target">
          on {data.extra.compute_target}
        </div>
      )}
      {status === 'running' && <StepProgress nodeId={id} />}
      {waiting && (
        <div className="node-waiting" data-testid="node-waiting">
          {waiting}
        </div>
      )}
      {typeof data.extra.comment === 'string' && data.extra.comment && (
        <div className="node-comment" data-testid="node-comment">
          {data.extra.comment}
        </div>
      )}
      <NodePorts inputs={spec?.inputs ?? []} outputs={spec?.outputs ?? []} />
      <ProblemList problems={problems} />
    </div>
  );
}

export const ModuleNode = memo(ModuleNodeView);

/** At module scope, so React Flow never sees a new object and remounts every node. */
export const nodeTypes = { module: ModuleNode, note: NoteCard, subpipeline: GroupNode };

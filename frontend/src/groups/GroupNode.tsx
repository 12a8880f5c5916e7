/** A sub-pipeline on the canvas: a handle per exposed port, its inner modules, problems and the
 * summed-up status of its inner steps. Double-click opens it (see FlowCanvas). */
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { NodePorts, ProblemList, STATUS_LABEL, useHandlesFollowSpec } from '../canvas/ModuleNode';
import type { ModuleNode } from '../canvas/graphFormat';
import type { GroupDocument } from './grouping';
import { originOf, updateFor, usePipelineModules } from './pipelineModules';
import { useGroupProblems, useGroupSpec, useGroupStatus } from './useGroup';

function GroupNodeView(props: NodeProps<ModuleNode>) {
  const { id, selected } = props;
  const group = props.data.extra.group as GroupDocument | undefined;
  const spec = useGroupSpec(group);
  const problems = useGroupProblems(id);
  const status = useGroupStatus(id);
  const origin = originOf(group);
  const update = usePipelineModules((state) => updateFor(group, state.modules)?.version.version);
  useHandlesFollowSpec(id, spec); // exposed ports come and go
  const className = [
    'module-node',
    'group-node',
    `status-${status}`,
    problems.length > 0 ? 'has-problem' : '',
    selected ? 'is-selected' : '',
  ].join(' ');
  return (
    <div
      className={className}
      data-testid={`node-${id}`}
      data-status={status}
      data-problem={problems.length > 0 ? (problems[0]?.code ?? 'true') : 'false'}
      title="Double-click to open the group"
    >
      <div className="node-header">
        <div className="node-title">Group {id}</div>
        {status !== 'idle' && <div className={`node-status node-status-${status}`}>{STATUS_LABEL[status]}</div>}
      </div>
      {origin && (
        <div className={`node-version node-version-${update ? 'update' : 'active'}`} data-testid="version-badge">
          {origin.name} v{origin.version}
          {update ? ' · update available' : ''}
        </div>
      )}
      <div className="group-members muted" data-testid="group-members">
        {group?.nodes.map((node) => node.id).join(', ')}
      </div>
      <NodePorts inputs={spec?.inputs ?? []} outputs={spec?.outputs ?? []} />
      <ProblemList problems={problems} />
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);

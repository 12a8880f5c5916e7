/** A module drawn in a comparison: the ordinary module node, framed in the colour of its change,
 * with its parameter differences (old → new) and any module version change written under it. */
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { ModuleNode } from '../canvas/ModuleNode';
import type { ModuleNode as ModuleNodeType } from '../canvas/graphFormat';
import { type DiffFlowNode, moduleChange } from './diffFlow';
import { formatValue } from './format';
import type { NodeDiff } from './types';

const BADGES: Record<NodeDiff['status'], string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  unchanged: '',
};

export function ChangeList({ diff }: { diff: NodeDiff }) {
  const module = moduleChange(diff);
  if (!module && diff.parameters.length === 0 && diff.settings.length === 0) return null;
  return (
    <ul className="diff-changes" data-testid={`changes-${diff.node}`}>
      {module && <li className="diff-module-change">module {module}</li>}
      {[...diff.parameters, ...diff.settings].map((change) => (
        <li key={change.name}>
          <span className="diff-name">{change.name}</span> <span className="diff-old">{formatValue(change.old)}</span>
          {' → '}
          <span className="diff-new">{formatValue(change.new)}</span>
        </li>
      ))}
    </ul>
  );
}

function DiffNodeView(props: NodeProps<DiffFlowNode>) {
  const { diff } = props.data;
  return (
    <div className={`diff-node diff-${diff.status}`} data-testid={`diff-${diff.node}`} data-diff={diff.status}>
      {BADGES[diff.status] && <div className="diff-badge">{BADGES[diff.status]}</div>}
      <ModuleNode {...(props as unknown as NodeProps<ModuleNodeType>)} />
      <ChangeList diff={diff} />
    </div>
  );
}

export const DiffNode = memo(DiffNodeView);

/** Beside a comparison: every module that changed, with its parameter differences. */
import { ChangeList } from './DiffNode';
import { diffSummary } from './diffFlow';
import type { GraphDiff } from './types';

export function DiffChanges({ diff }: { diff: GraphDiff }) {
  const changed = diff.nodes.filter((node) => node.status !== 'unchanged');
  return (
    <section className="diff-list" data-testid="diff-list">
      <p className="muted" data-testid="diff-summary">
        {diffSummary(diff)}
      </p>
      {changed.length === 0 && <p className="muted">Both sides have the same modules and parameters.</p>}
      <ul>
        {changed.map((node) => (
          <li
            key={node.node}
            className={`diff-list-item diff-text-${node.status}`}
            data-testid={`diff-item-${node.node}`}
          >
            <strong>{node.node}</strong> <span className="diff-status">{node.status}</span>
            <ChangeList diff={node} />
          </li>
        ))}
      </ul>
    </section>
  );
}

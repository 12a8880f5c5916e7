/** The right-hand panel for a selected group: its exposed ports, its modules with their step
 * status, and what can be done with it (open, ungroup, partial runs). */
import type { ModuleNode } from '../canvas/graphFormat';
import { useCanvasStore } from '../canvas/canvasStore';
import { PartialRunButtons } from '../canvas/NodePanel';
import { useRunStore } from '../run/runStore';
import type { RunOptions } from '../run/startRun';
import { ungroupSelected } from './groupActions';
import { SaveToGallery } from './SaveToGallery';
import { updatedCopy, updateFor, usePipelineModules } from './pipelineModules';
import { groupOf, SEPARATOR } from './grouping';
import { useGroupProblems, useGroupStatus } from './useGroup';

interface GroupPanelProps {
  node: ModuleNode;
  readOnly: boolean;
  onRun?: ((options: RunOptions) => void) | undefined;
}

function MemberStatus({ step }: { step: string }) {
  const status = useRunStore((state) => state.steps[step]?.status);
  return status ? <span className={`node-status node-status-${status}`}>{status}</span> : null;
}

export function GroupPanel({ node, readOnly, onRun }: GroupPanelProps) {
  const group = groupOf(node);
  const openGroup = useCanvasStore((state) => state.openGroup);
  const problems = useGroupProblems(node.id);
  const status = useGroupStatus(node.id);
  const apply = useCanvasStore((state) => state.apply);
  const modules = usePipelineModules((state) => state.modules);
  const update = updateFor(groupOf(node), modules);
  if (!group) return null;
  return (
    <aside className="node-panel" aria-label="Selected group" data-testid="group-panel">
      <header>
        <h2>Group</h2>
        <code className="muted">{node.id}</code>
        <p className="muted">
          A sub-pipeline of {group.nodes.length} module(s){status !== 'idle' ? `, ${status}` : ''}.
        </p>
      </header>
      {problems.length > 0 && (
        <ul className="panel-problems" data-testid="panel-problems">
          {problems.map((problem, index) => (
            <li key={index}>{problem.message}</li>
          ))}
        </ul>
      )}
      <div className="partial-run">
        <button type="button" data-testid="group-open" onClick={() => openGroup(node.id)}>
          Open
        </button>
        {!readOnly && (
          <button type="button" data-testid="group-ungroup" onClick={ungroupSelected}>
            Ungroup
          </button>
        )}
      </div>
      {onRun && !readOnly && <PartialRunButtons nodeId={node.id} onRun={onRun} />}
      {!readOnly && update && (
        <p className="step-reason">
          {update.module.display_name} has a newer version.{' '}
          <button
            type="button"
            data-testid="group-update"
            onClick={() => apply((current) => updatedCopy(current, node.id, update.module, update.version))}
          >
            Update to v{update.version.version}
          </button>
        </p>
      )}
      {!readOnly && <SaveToGallery groupId={node.id} group={group} />}
      <div className="panel-body">
        <h3>Modules</h3>
        <ul className="group-member-list">
          {group.nodes.map((member) => (
            <li key={member.id}>
              <code>{member.id}</code> {member.module} <MemberStatus step={`${node.id}${SEPARATOR}${member.id}`} />
            </li>
          ))}
        </ul>
        <h3>Ports</h3>
        <ul className="group-member-list">
          {group.inputs.map((port) => (
            <li key={`in-${port.name}`}>
              in <strong>{port.name}</strong> → {port.node}.{port.port}
            </li>
          ))}
          {group.outputs.map((port) => (
            <li key={`out-${port.name}`}>
              out <strong>{port.name}</strong> ← {port.node}.{port.port}
            </li>
          ))}
        </ul>
      </div>
    </aside>
  );
}

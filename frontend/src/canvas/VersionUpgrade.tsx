/** On a node's panel: what is said about its module version, and moving it to the newer one.
 * The server checks the move against the node's parameters and connections first; the person
 * reads what changes (or why it cannot) before applying it, as one undoable edit. */
import { useState } from 'react';
import { api, errorMessage } from '../api/client';
import type { UpgradeCheck } from '../api/types';
import { moduleKey, useCatalogStore, useModuleSpec, versionNotice } from '../catalog/catalogStore';
import { useCanvasStore } from './canvasStore';
import type { ModuleNode } from './graphFormat';

/** The types arriving at each connected input and wanted by the inputs each output feeds. */
function connections(nodeId: string) {
  const { nodes, edges } = useCanvasStore.getState();
  const { byKey } = useCatalogStore.getState();
  const specOf = (id: string) => {
    const node = nodes.find((candidate) => candidate.id === id);
    return node ? byKey[moduleKey(node.data.module, node.data.version)] : undefined;
  };
  const inputs: Record<string, string> = {};
  const outputs: Record<string, string[]> = {};
  for (const edge of edges) {
    if (edge.target === nodeId && edge.targetHandle) {
      const type = specOf(edge.source)?.outputs.find((port) => port.name === edge.sourceHandle)?.type;
      if (type) inputs[edge.targetHandle] = type;
    }
    if (edge.source === nodeId && edge.sourceHandle) {
      const type = specOf(edge.target)?.inputs.find((port) => port.name === edge.targetHandle)?.type;
      if (type) (outputs[edge.sourceHandle] ??= []).push(type);
    }
  }
  return { inputs, outputs };
}

export function VersionUpgrade({ node, readOnly }: { node: ModuleNode; readOnly: boolean }) {
  const spec = useModuleSpec(node.data.module, node.data.version);
  const workspaceId = useCatalogStore((state) => state.workspaceId);
  const setVersion = useCanvasStore((state) => state.setVersion);
  const [check, setCheck] = useState<UpgradeCheck | null>(null);
  const [error, setError] = useState('');
  const notice = versionNotice(spec);
  if (!notice) return null;
  const target = notice.newer;

  const review = async () => {
    if (!target || workspaceId === null) return;
    const { inputs, outputs } = connections(node.id);
    try {
      setError('');
      setCheck(
        await api.post<UpgradeCheck>(`/api/workspaces/${workspaceId}/upgrade-check/`, {
          module: node.data.module,
          current_version: node.data.version,
          target_version: target,
          parameters: node.data.parameters,
          connected_inputs: inputs,
          connected_outputs: outputs,
        }),
      );
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };
  const apply = () => {
    if (!target || !check?.allowed) return;
    setVersion(node.id, target, check.parameters);
    setCheck(null);
  };

  return (
    <div className={`version-notice version-notice-${notice.status}`} data-testid="version-notice">
      <p>{notice.text}</p>
      {target && notice.status !== 'update' && <p>Version {target} is available.</p>}
      {target && !readOnly && !check && (
        <button type="button" data-testid="review-upgrade" onClick={() => void review()}>
          Update to version {target}…
        </button>
      )}
      {error && <p className="error-text">{error}</p>}
      {check && (
        <div className="upgrade-review" data-testid="upgrade-review">
          {check.refusals.length > 0 && (
            <>
              <p>This node cannot move to version {target}:</p>
              <ul className="upgrade-refusals">
                {check.refusals.map((refusal) => (
                  <li key={refusal}>{refusal}</li>
                ))}
              </ul>
            </>
          )}
          <p>{check.changes.length > 0 ? 'What changes:' : 'Nothing else changes.'}</p>
          <ul>
            {check.changes.map((change) => (
              <li key={change}>{change}</li>
            ))}
          </ul>
          <div className="form-actions">
            {check.allowed && (
              <button type="button" className="primary" data-testid="apply-upgrade" onClick={apply}>
                Update
              </button>
            )}
            <button type="button" onClick={() => setCheck(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

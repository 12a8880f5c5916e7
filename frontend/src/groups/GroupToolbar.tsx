/** Above the canvas: "Group" and "Ungroup" for the selection, and while a group is open, the
 * breadcrumb back to the pipeline with the ports the group exposes. */
import { useCanvasStore } from '../canvas/canvasStore';
import { groupSelected, ungroupSelected } from './groupActions';
import { groupOf, isGroupNode } from './grouping';

function Breadcrumb({ groupId }: { groupId: string }) {
  const closeGroup = useCanvasStore((state) => state.closeGroup);
  const group = useCanvasStore((state) => groupOf(state.opened?.outer.nodes.find((node) => node.id === groupId)));
  const ports = [
    ...(group?.inputs.map((port) => `in ${port.name} → ${port.node}.${port.port}`) ?? []),
    ...(group?.outputs.map((port) => `out ${port.name} ← ${port.node}.${port.port}`) ?? []),
  ];
  return (
    <nav className="group-breadcrumb" aria-label="Open group" data-testid="group-breadcrumb">
      <button type="button" className="quiet" data-testid="group-back" onClick={closeGroup}>
        Pipeline
      </button>
      <span aria-hidden="true">›</span>
      <strong>Group {groupId}</strong>
      {ports.length > 0 && <span className="muted group-ports">{ports.join(' · ')}</span>}
    </nav>
  );
}

export function GroupToolbar({ readOnly }: { readOnly: boolean }) {
  const openedId = useCanvasStore((state) => state.opened?.groupId ?? null);
  const selectedCount = useCanvasStore((state) => state.nodes.filter((node) => node.selected).length);
  const groupSelectedToo = useCanvasStore((state) => state.nodes.some((node) => node.selected && isGroupNode(node)));
  return (
    <div className="group-toolbar">
      {openedId && <Breadcrumb groupId={openedId} />}
      {!readOnly && (
        <>
          <button
            type="button"
            data-testid="group-button"
            title="Group the selected modules (Ctrl+G)"
            disabled={selectedCount === 0 || groupSelectedToo || openedId !== null}
            onClick={groupSelected}
          >
            Group
          </button>
          <button
            type="button"
            data-testid="ungroup-button"
            title="Put the selected group's modules back (Ctrl+Shift+G)"
            disabled={!groupSelectedToo}
            onClick={ungroupSelected}
          >
            Ungroup
          </button>
        </>
      )}
    </div>
  );
}

/** The canvas actions on groups, shared by the toolbar, the shortcuts and the group's panel. */
import { useCanvasStore } from '../canvas/canvasStore';
import { showToast } from '../ui/toasts';
import { groupRefusal, groupSelection, isGroupNode, ungroup } from './grouping';

/** Ctrl+G: the selected modules become one group (one undo step). */
export function groupSelected(): void {
  const store = useCanvasStore.getState();
  if (store.opened) return showToast('Groups cannot be nested: go back to the pipeline to group there.');
  const refusal = groupRefusal(store);
  if (refusal) return showToast(refusal);
  store.apply(groupSelection);
}

/** Ctrl+Shift+G: the selected group's modules back on the canvas (one undo step). */
export function ungroupSelected(): void {
  const store = useCanvasStore.getState();
  const group = store.nodes.find((node) => node.selected && isGroupNode(node));
  if (!group) return showToast('Select a group to ungroup.');
  store.apply((current) => ungroup(current, group.id));
}

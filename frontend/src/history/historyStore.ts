/** Which history panel is open beside the canvas (versions or runs), and a counter that makes
 * open lists reload after something changed them (a version saved, a run started). */
import { create } from 'zustand';
import { useCanvasStore } from '../canvas/canvasStore';

export type HistoryPanel = 'versions' | 'runs';

interface HistoryState {
  panel: HistoryPanel | null;
  /** Bumped to ask the versions panel to focus its message field (Ctrl+Shift+S). */
  focusRequests: number;
  changes: number;
  open: (panel: HistoryPanel, focusMessage?: boolean) => void;
  toggle: (panel: HistoryPanel) => void;
  close: () => void;
  changed: () => void;
}

function aModuleIsSelected(): boolean {
  return useCanvasStore.getState().nodes.some((node) => node.selected);
}

/** The right-hand column shows a selected module before any panel: opening one deselects. */
function deselectModules(): void {
  useCanvasStore.setState((state) => ({
    nodes: state.nodes.some((node) => node.selected)
      ? state.nodes.map((node) => ({ ...node, selected: false }))
      : state.nodes,
  }));
}

export const useHistoryStore = create<HistoryState>()((set, get) => ({
  panel: null,
  focusRequests: 0,
  changes: 0,
  open: (panel, focusMessage = false) => {
    deselectModules();
    set((state) => ({ panel, focusRequests: state.focusRequests + (focusMessage ? 1 : 0) }));
  },
  // A panel hidden behind a selected module is shown, not closed.
  toggle: (panel) => (get().panel === panel && !aModuleIsSelected() ? set({ panel: null }) : get().open(panel)),
  close: () => set({ panel: null }),
  changed: () => set((state) => ({ changes: state.changes + 1 })),
}));

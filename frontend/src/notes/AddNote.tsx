/** Adding notes: a toolbar button (the note lands mid-canvas) and the canvas's right-click menu. */
import { useReactFlow } from '@xyflow/react';
import { type MouseEvent as ReactMouseEvent, useCallback, useState } from 'react';
import { useCanvasStore } from '../canvas/canvasStore';

export function AddNoteButton() {
  const addNote = useCanvasStore((state) => state.addNote);
  const { screenToFlowPosition } = useReactFlow();
  const add = () => {
    const box = document.querySelector('.flow-canvas')?.getBoundingClientRect();
    if (!box) return;
    addNote(screenToFlowPosition({ x: box.left + box.width / 2 - 110, y: box.top + box.height / 4 }));
  };
  return (
    <button type="button" className="quiet" data-testid="add-note" title="Add a note to the canvas" onClick={add}>
      + Note
    </button>
  );
}

interface MenuAt {
  x: number;
  y: number;
}

/** The right-click menu of the empty canvas: onContextMenu for the pane, and the menu to draw. */
export function usePaneMenu(readOnly: boolean) {
  const [at, setAt] = useState<MenuAt | null>(null);
  const addNote = useCanvasStore((state) => state.addNote);
  const { screenToFlowPosition } = useReactFlow();
  const open = useCallback(
    (event: ReactMouseEvent | MouseEvent) => {
      if (readOnly) return;
      event.preventDefault();
      setAt({ x: event.clientX, y: event.clientY });
    },
    [readOnly],
  );
  const menu = at && (
    <div className="pane-menu" role="menu" style={{ left: at.x, top: at.y }} onMouseLeave={() => setAt(null)}>
      <button
        type="button"
        role="menuitem"
        data-testid="menu-add-note"
        onClick={() => {
          addNote(screenToFlowPosition(at));
          setAt(null);
        }}
      >
        Add a note here
      </button>
    </div>
  );
  return { open, close: () => setAt(null), menu };
}

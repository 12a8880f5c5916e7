/** A free text note on the canvas: drag it by its strip, type in place, resize it when selected. */
import { NodeResizer, type NodeProps, useStore } from '@xyflow/react';
import { memo } from 'react';
import { useCanvasStore } from '../canvas/canvasStore';
import type { NoteNode } from './notes';

function NoteCardView({ id, data, selected }: NodeProps<NoteNode>) {
  const setNoteText = useCanvasStore((state) => state.setNoteText);
  const editable = useStore((state) => state.nodesDraggable); // false on a read-only canvas
  return (
    <div className="canvas-note" data-testid={`note-${id}`}>
      <NodeResizer isVisible={selected && editable} minWidth={120} minHeight={60} />
      <div className="canvas-note-strip" title="Drag to move">
        Note
      </div>
      <textarea
        className="nodrag nowheel canvas-note-text"
        aria-label="Note text"
        placeholder="Type a note…"
        value={data.text}
        readOnly={!editable}
        onChange={(event) => setNoteText(id, event.target.value)}
      />
    </div>
  );
}

export const NoteCard = memo(NoteCardView);

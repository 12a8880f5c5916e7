import { beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { deleteSelection, pasteGraph, selectionToGraph } from '../canvas/editing';
import { noteMatches, notesOf } from './notes';

const NOTE = { id: 'note-1', text: 'Compare seeds here', position: { x: 10, y: 20 }, width: 240, height: 100 };

const GRAPH: Graph = {
  format_version: 2,
  nodes: [{ id: 'load', module: 'sample_dataset', version: '1', parameters: {}, position: { x: 0, y: 0 } }],
  edges: [],
  notes: [NOTE],
};

function store() {
  return useCanvasStore.getState();
}

describe('canvas notes', () => {
  beforeEach(() => store().load(GRAPH, []));

  it('load and save round trip, apart from the modules', () => {
    expect(store().notes.map((note) => note.id)).toEqual(['note-1']);
    expect(store().nodes.map((node) => node.id)).toEqual(['load']);
    expect(store().graph().notes).toEqual([NOTE]);
    expect(store().extra).toEqual({});
  });

  it('adds, edits in place, and undoes both', () => {
    const id = store().addNote({ x: 100, y: 100 });
    store().setNoteText(id, 'T');
    store().setNoteText(id, 'To do');
    expect(notesOf(store().graph())).toHaveLength(2);
    expect(store().notes.find((note) => note.id === id)?.data.text).toBe('To do');

    store().undo(); // typing into one note is one step
    expect(store().notes.find((note) => note.id === id)?.data.text).toBe('');
    store().undo();
    expect(store().notes.map((note) => note.id)).toEqual(['note-1']);
  });

  it('moves with a finished drag and resizes as one edit each', () => {
    store().onNodesChange([{ id: 'note-1', type: 'position', position: { x: 50, y: 60 }, dragging: false }]);
    store().onNodesChange([
      {
        id: 'note-1',
        type: 'dimensions',
        dimensions: { width: 300, height: 150 },
        resizing: false,
        setAttributes: true,
      },
    ]);
    expect(store().graph().notes).toEqual([{ ...NOTE, position: { x: 50, y: 60 }, width: 300, height: 150 }]);
    store().undo();
    expect(notesOf(store().graph())[0]?.width).toBe(240);
  });

  it('is copied, pasted with a fresh id and deleted with the selection', () => {
    const selected = { nodes: store().nodes, edges: [], notes: store().notes.map((n) => ({ ...n, selected: true })) };
    const copied = selectionToGraph(selected);
    expect(copied?.nodes).toEqual([]);
    expect(notesOf(copied ?? { nodes: [] })).toHaveLength(1);

    const pasted = pasteGraph(selected, copied as Graph);
    expect(pasted.notes?.map((note) => [note.id, note.position])).toEqual([
      ['note-1', { x: 10, y: 20 }],
      ['note-2', { x: 50, y: 60 }],
    ]);
    expect(deleteSelection(pasted).notes?.map((note) => note.id)).toEqual(['note-1']);
  });

  it('is found by its text', () => {
    const [note] = store().notes;
    expect(note && noteMatches(note, 'seeds compare')).toBe(true);
    expect(note && noteMatches(note, 'split')).toBe(false);
  });
});

/** Free text notes on the canvas, kept in the graph's top-level `notes` list (the runner ignores them). */
import type { Node } from '@xyflow/react';

export interface GraphNote {
  id: string;
  text: string;
  position: { x: number; y: number };
  width?: number;
  height?: number;
  [unknownKey: string]: unknown;
}

export interface NoteData extends Record<string, unknown> {
  text: string;
  extra: Record<string, unknown>;
}

export type NoteNode = Node<NoteData, 'note'>;

export const NOTE_SIZE = { width: 220, height: 120 };

export function noteFromGraph(note: GraphNote): NoteNode {
  const { id, text, position, width, height, ...extra } = note;
  return {
    id,
    type: 'note',
    position,
    width: width ?? NOTE_SIZE.width,
    height: height ?? NOTE_SIZE.height,
    data: { text, extra },
  };
}

export function noteToGraph(note: NoteNode): GraphNote {
  const position = { x: Math.round(note.position.x), y: Math.round(note.position.y) };
  const width = Math.round(note.width ?? note.measured?.width ?? NOTE_SIZE.width);
  const height = Math.round(note.height ?? note.measured?.height ?? NOTE_SIZE.height);
  return { ...note.data.extra, id: note.id, text: note.data.text, position, width, height };
}

export function notesOf(graph: Record<string, unknown>): GraphNote[] {
  return Array.isArray(graph.notes) ? (graph.notes as GraphNote[]) : [];
}

/** `note-<n>`, not used by a note or a module yet. */
export function newNoteId(taken: Iterable<string>): string {
  const used = new Set(taken);
  let number = 1;
  while (used.has(`note-${number}`)) number += 1;
  return `note-${number}`;
}

export function newNote(id: string, position: { x: number; y: number }, text = ''): NoteNode {
  return { ...noteFromGraph({ id, text, position }), selected: true };
}

export function noteMatches(note: NoteNode, query: string): boolean {
  const text = note.data.text.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

/** Opening a group to edit its inner graph, and closing it again: the canvas shows the inner graph
 * with its own undo history; the outer canvas waits here, and closing writes the group back as one
 * undo step of the outer history. While open, the saved draft is the outer graph with the edits in. */
import type { Selection } from '../canvas/editing';
import { closedInto, groupOf, openedView } from './grouping';

interface History {
  nodes: Selection['nodes'];
  edges: Selection['edges'];
  committed: Selection;
  past: Selection[];
  future: Selection[];
}

export interface OpenedGroup {
  groupId: string;
  /** The outer canvas and its undo history, as they were when the group was opened. */
  outer: History;
}

interface Editable extends History {
  opened: OpenedGroup | null;
  edits: number;
  lastEdit: string | null;
}

/** The state with group `groupId` open, or null if it is not a group (or one is open already). */
export function opening(state: Editable, groupId: string): Partial<Editable> | null {
  const group = groupOf(state.nodes.find((node) => node.id === groupId));
  if (!group || state.opened) return null;
  const { nodes, edges, committed, past, future } = state;
  const inner = openedView(groupId, group);
  return {
    ...inner,
    opened: { groupId, outer: { nodes, edges, committed, past, future } },
    committed: inner,
    past: [],
    future: [],
    lastEdit: null,
  };
}

/** The outer canvas as it will be saved: the open group's inner graph written back. */
export function enclosing(opened: OpenedGroup, inner: Selection): Selection {
  return closedInto(opened.outer.committed, opened.groupId, inner);
}

/** Back to the outer canvas; edits made inside become one undo step there. */
export function closing(state: Editable): Partial<Editable> | null {
  const { opened } = state;
  if (!opened) return null;
  const { outer } = opened;
  const next = closedInto(outer, opened.groupId, { nodes: state.nodes, edges: state.edges });
  const before = groupOf(outer.nodes.find((node) => node.id === opened.groupId));
  const after = groupOf(next.nodes.find((node) => node.id === opened.groupId));
  const changed = JSON.stringify(before) !== JSON.stringify(after) || next.edges.length !== outer.edges.length;
  const committed = changed ? closedInto(outer.committed, opened.groupId, state) : outer.committed;
  return {
    ...next,
    opened: null,
    committed,
    past: changed ? [...outer.past, outer.committed] : outer.past,
    future: changed ? [] : outer.future,
    lastEdit: null,
  };
}

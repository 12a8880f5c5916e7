/** Edits on a whole selection: copy as graph JSON, paste with fresh ids, delete, select all.
 * Pure functions of (nodes, edges), so each is one undo step and easy to test. */
import type { Graph } from '../api/types';
import { newNoteId, type NoteNode, noteFromGraph, notesOf, noteToGraph } from '../notes/notes';
import {
  buildGraph,
  edgeFromGraph,
  edgeId,
  type ModuleNode,
  newNodeId,
  nodeFromGraph,
  type PortEdge,
} from './graphFormat';

export interface Selection {
  nodes: ModuleNode[];
  edges: PortEdge[];
  /** Canvas notes, selected, copied and deleted with the modules. */
  notes?: NoteNode[];
}

export const PASTE_OFFSET = 40;

/** The selected nodes and the edges between them, as a graph document (what the clipboard carries). */
export function selectionToGraph({ nodes, edges, notes = [] }: Selection): Graph | null {
  const chosen = nodes.filter((node) => node.selected);
  const chosenNotes = notes.filter((note) => note.selected);
  if (chosen.length === 0 && chosenNotes.length === 0) return null;
  const ids = new Set(chosen.map((node) => node.id));
  const inside = edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
  const graph = buildGraph({}, chosen, inside);
  return chosenNotes.length > 0 ? { ...graph, notes: chosenNotes.map(noteToGraph) } : graph;
}

/** Is this text a graph document we can paste? */
export function graphFromText(text: string): Graph | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const graph = value as Graph;
    return Array.isArray(graph.nodes) && Array.isArray(graph.edges ?? [])
      ? { ...graph, edges: graph.edges ?? [] }
      : null;
  } catch {
    return null;
  }
}

/** Adds a copy of `graph` with fresh node ids, shifted by `offset`, selected (and nothing else). */
export function pasteGraph(current: Selection, graph: Graph, offset = PASTE_OFFSET): Selection {
  const renamed = new Map<string, string>();
  const added: ModuleNode[] = [];
  for (const graphNode of graph.nodes) {
    const id = newNodeId(graphNode.module ?? 'group', [...current.nodes, ...added]);
    renamed.set(graphNode.id, id);
    const node = nodeFromGraph({ ...graphNode, id });
    added.push({ ...node, position: { x: node.position.x + offset, y: node.position.y + offset }, selected: true });
  }
  const addedEdges = graph.edges
    .filter((edge) => renamed.has(edge.source.node) && renamed.has(edge.target.node))
    .map((edge) => {
      const source = { ...edge.source, node: renamed.get(edge.source.node) as string };
      const target = { ...edge.target, node: renamed.get(edge.target.node) as string };
      const copy = edgeFromGraph({ ...edge, source, target });
      return { ...copy, id: edgeId(source.node, source.port, target.node, target.port) };
    });
  const notes = current.notes ?? [];
  const addedNotes: NoteNode[] = [];
  for (const graphNote of notesOf(graph)) {
    const id = newNoteId([...current.nodes, ...added, ...notes, ...addedNotes].map((node) => node.id));
    const position = { x: graphNote.position.x + offset, y: graphNote.position.y + offset };
    addedNotes.push({ ...noteFromGraph({ ...graphNote, id, position }), selected: true });
  }
  return {
    nodes: [...current.nodes.map((node) => ({ ...node, selected: false })), ...added],
    edges: [...current.edges.map((edge) => ({ ...edge, selected: false })), ...addedEdges],
    ...(current.notes || addedNotes.length > 0
      ? { notes: [...notes.map((note) => ({ ...note, selected: false })), ...addedNotes] }
      : {}),
  };
}

/** Removes the selected nodes, the selected edges, and every edge of a removed node. */
export function deleteSelection({ nodes, edges, notes }: Selection): Selection {
  const removed = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
  return {
    nodes: nodes.filter((node) => !removed.has(node.id)),
    edges: edges.filter((edge) => !edge.selected && !removed.has(edge.source) && !removed.has(edge.target)),
    ...(notes ? { notes: notes.filter((note) => !note.selected) } : {}),
  };
}

export function hasSelection({ nodes, edges, notes = [] }: Selection): boolean {
  return nodes.some((node) => node.selected) || edges.some((edge) => edge.selected) || notes.some((n) => n.selected);
}

export function selectAll({ nodes, edges, notes }: Selection): Selection {
  return {
    nodes: nodes.map((node) => ({ ...node, selected: true })),
    edges,
    ...(notes ? { notes: notes.map((note) => ({ ...note, selected: true })) } : {}),
  };
}

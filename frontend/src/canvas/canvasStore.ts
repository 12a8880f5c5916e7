/** Canvas state: the draft's nodes and edges, its problems, a counter of edits that autosave watches,
 * and the undo history: every edit (one drag, one paste, one auto-layout) is one step. */
import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from '@xyflow/react';
import { create } from 'zustand';
import type { Graph, ModuleSpec, NodeSchemas, ParameterValue, Problem } from '../api/types';
import { newNote, newNoteId, type NoteNode, noteFromGraph, notesOf, noteToGraph } from '../notes/notes';
import {
  buildGraph,
  edgeFromGraph,
  edgeId,
  graphExtra,
  type ModuleNode,
  newNodeId,
  nodeFromGraph,
  type PortEdge,
} from './graphFormat';
import { closing, enclosing, type OpenedGroup, opening } from '../groups/opening';

const NO_PROBLEMS: Problem[] = [];
const HISTORY_LIMIT = 200;

/** What one edit may change; `extra` (graph keys such as the pipeline parameters) and `notes` left out stay as they are. */
interface Snapshot {
  nodes: ModuleNode[];
  edges: PortEdge[];
  extra?: Record<string, unknown>;
  notes?: NoteNode[];
}

interface CanvasState {
  nodes: ModuleNode[];
  edges: PortEdge[];
  /** Graph keys besides nodes, edges and notes, kept as they are: the pipeline parameters among them. */
  extra: Record<string, unknown>;
  /** Free text notes on the canvas (notes/), drawn by React Flow beside the modules. */
  notes: NoteNode[];
  problems: Problem[];
  problemsByNode: Record<string, Problem[]>;
  /** The columns each node's ports will carry, as the server last propagated them. */
  schemas: NodeSchemas;
  /** Bumped on every change that belongs in the saved draft (not on selection or measuring). */
  edits: number;
  /** The canvas after the last edit, and the edits before and after it that undo and redo walk. */
  committed: Snapshot;
  past: Snapshot[];
  future: Snapshot[];
  /** What the last edit changed, when typing into one field: such edits make one undo step. */
  lastEdit: string | null;
  load: (graph: Graph, problems: Problem[]) => void;
  onNodesChange: (changes: NodeChange<ModuleNode | NoteNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<PortEdge>[]) => void;
  connect: (connection: Connection) => void;
  /** A new node of `spec`, its parameters the defaults overlaid by `parameters`; returns its id. */
  addModule: (spec: ModuleSpec, position: XYPosition, parameters?: Record<string, ParameterValue>) => string;
  setParameter: (nodeId: string, name: string, value: ParameterValue) => void;
  /** Move a node to another version of its module with these parameters (one undo step). */
  setVersion: (nodeId: string, version: string, parameters: Record<string, ParameterValue>) => void;
  /** A note on a node, kept in the graph as the node's "comment". */
  /** Set (or, with an empty value, remove) a node key besides its parameters: comment, compute_target. */
  setNodeKey: (nodeId: string, key: string, value: string) => void;
  /** A new empty note at `position`, selected; returns its id. */
  addNote: (position: XYPosition) => string;
  setNoteText: (noteId: string, text: string) => void;
  setProblems: (problems: Problem[]) => void;
  setSchemas: (schemas: NodeSchemas) => void;
  /** Replace nodes and edges (and, when returned, extra and notes) in one undoable step (paste, delete, auto-layout). */
  apply: (change: (current: Snapshot) => Snapshot) => void;
  undo: () => void;
  redo: () => void;
  graph: () => Graph;
  /** The group whose inner graph is on the canvas (see groups/opening.ts), or null. */
  opened: OpenedGroup | null;
  openGroup: (groupId: string) => void;
  closeGroup: () => void;
}

function isEdit(change: NodeChange<ModuleNode | NoteNode> | EdgeChange<PortEdge>): boolean {
  if (change.type === 'dimensions') return change.resizing === false; // a note resized by hand
  if (change.type === 'select') return false;
  if (change.type === 'position') return change.dragging === false;
  return true;
}

function groupByNode(problems: Problem[]): Record<string, Problem[]> {
  const grouped: Record<string, Problem[]> = {};
  for (const problem of problems) {
    if (problem.node) (grouped[problem.node] ??= []).push(problem);
  }
  return grouped;
}

/** The state after an edit: what was committed goes on the undo stack, and redo is forgotten. */
function committing(state: CanvasState, next: Snapshot, edit: string | null = null): Partial<CanvasState> {
  const sameField = edit !== null && edit === state.lastEdit;
  const full = { extra: state.extra, notes: state.notes, ...next };
  return {
    ...full,
    past: sameField ? state.past : [...state.past, state.committed].slice(-HISTORY_LIMIT),
    future: [],
    committed: full,
    edits: state.edits + 1,
    lastEdit: edit,
  };
}

function defaults(spec: ModuleSpec): Record<string, ParameterValue> {
  return Object.fromEntries(spec.parameters.map((parameter) => [parameter.name, parameter.default]));
}

export const useCanvasStore = create<CanvasState>()((set, get) => ({
  nodes: [],
  edges: [],
  extra: {},
  notes: [],
  problems: [],
  problemsByNode: {},
  schemas: {},
  edits: 0,
  committed: { nodes: [], edges: [], extra: {}, notes: [] },
  past: [],
  future: [],
  lastEdit: null,
  load: (graph, problems) => {
    const { notes: _notes, ...extra } = graphExtra(graph);
    const loaded = {
      nodes: graph.nodes.map(nodeFromGraph),
      edges: graph.edges.map(edgeFromGraph),
      extra,
      notes: notesOf(graph).map(noteFromGraph),
    };
    set({
      ...loaded,
      problems,
      problemsByNode: groupByNode(problems),
      edits: 0,
      committed: loaded,
      past: [],
      future: [],
      lastEdit: null,
      opened: null,
    });
  },
  onNodesChange: (changes) =>
    set((state) => {
      // React Flow draws modules and notes together; each change goes to the list holding its node.
      const noteIds = new Set(state.notes.map((note) => note.id));
      const isNote = (change: NodeChange<ModuleNode | NoteNode>) => 'id' in change && noteIds.has(change.id);
      // An added node arrives through addModule or addNote, never here: the ids tell the two lists apart.
      const moduleChanges = changes.filter((change) => !isNote(change)) as NodeChange<ModuleNode>[];
      const noteChanges = changes.filter(isNote) as NodeChange<NoteNode>[];
      const nodes = moduleChanges.length > 0 ? applyNodeChanges(moduleChanges, state.nodes) : state.nodes;
      const notes = noteChanges.length > 0 ? applyNodeChanges(noteChanges, state.notes) : state.notes;
      // A drag moves nodes many times but is one edit, committed when it ends.
      return changes.some(isEdit) ? committing(state, { nodes, edges: state.edges, notes }) : { nodes, notes };
    }),
  onEdgesChange: (changes) =>
    set((state) => {
      const edges = applyEdgeChanges(changes, state.edges);
      return changes.some(isEdit) ? committing(state, { nodes: state.nodes, edges }) : { edges };
    }),
  connect: (connection) =>
    set((state) => {
      const id = edgeId(
        connection.source,
        connection.sourceHandle ?? '',
        connection.target,
        connection.targetHandle ?? '',
      );
      const edges = addEdge({ ...connection, id, data: { extra: {} } }, state.edges);
      return committing(state, { nodes: state.nodes, edges });
    }),
  addModule: (spec, position, parameters = {}) => {
    const id = newNodeId(spec.name, get().nodes);
    const node: ModuleNode = {
      id,
      type: 'module',
      position,
      data: { module: spec.name, version: spec.version, parameters: { ...defaults(spec), ...parameters }, extra: {} },
    };
    set((state) =>
      committing(state, {
        nodes: [...state.nodes.map((other) => ({ ...other, selected: false })), { ...node, selected: true }],
        edges: state.edges,
      }),
    );
    return id;
  },
  setParameter: (nodeId, name, value) =>
    set((state) =>
      committing(
        state,
        {
          nodes: state.nodes.map((node) =>
            node.id === nodeId
              ? { ...node, data: { ...node.data, parameters: { ...node.data.parameters, [name]: value } } }
              : node,
          ),
          edges: state.edges,
        },
        `${nodeId}:${name}`,
      ),
    ),
  setVersion: (nodeId, version, parameters) =>
    set((state) =>
      committing(state, {
        nodes: state.nodes.map((node) =>
          node.id === nodeId ? { ...node, data: { ...node.data, version, parameters } } : node,
        ),
        edges: state.edges,
      }),
    ),
  setNodeKey: (nodeId, key, value) =>
    set((state) =>
      committing(
        state,
        {
          nodes: state.nodes.map((node) => {
            if (node.id !== nodeId) return node;
            const { [key]: _old, ...extra } = node.data.extra;
            return { ...node, data: { ...node.data, extra: value ? { ...extra, [key]: value } : extra } };
          }),
          edges: state.edges,
        },
        `${nodeId}:${key}`,
      ),
    ),
  addNote: (position) => {
    const { nodes, notes } = get();
    const id = newNoteId([...nodes, ...notes].map((node) => node.id));
    set((state) =>
      committing(state, {
        nodes: state.nodes.map((node) => ({ ...node, selected: false })),
        edges: state.edges,
        notes: [...state.notes.map((note) => ({ ...note, selected: false })), newNote(id, position)],
      }),
    );
    return id;
  },
  setNoteText: (noteId, text) =>
    set((state) =>
      committing(
        state,
        {
          nodes: state.nodes,
          edges: state.edges,
          notes: state.notes.map((note) => (note.id === noteId ? { ...note, data: { ...note.data, text } } : note)),
        },
        `${noteId}:text`,
      ),
    ),
  setProblems: (problems) => set({ problems, problemsByNode: groupByNode(problems) }),
  setSchemas: (schemas) => set({ schemas }),
  apply: (change) =>
    set((state) =>
      committing(state, change({ nodes: state.nodes, edges: state.edges, extra: state.extra, notes: state.notes })),
    ),
  undo: () =>
    set((state) => {
      const previous = state.past.at(-1);
      if (!previous) return state;
      return {
        ...previous,
        past: state.past.slice(0, -1),
        future: [state.committed, ...state.future],
        committed: previous,
        edits: state.edits + 1,
        lastEdit: null,
      };
    }),
  redo: () =>
    set((state) => {
      const next = state.future[0];
      if (!next) return state;
      return {
        ...next,
        past: [...state.past, state.committed],
        future: state.future.slice(1),
        committed: next,
        edits: state.edits + 1,
        lastEdit: null,
      };
    }),
  graph: () => {
    const { extra, nodes, edges, notes, opened } = get();
    const outer = opened ? enclosing(opened, { nodes, edges }) : { nodes, edges };
    const graph = buildGraph(extra, outer.nodes, outer.edges);
    return notes.length > 0 ? { ...graph, notes: notes.map(noteToGraph) } : graph;
  },
  opened: null,
  openGroup: (groupId) => set((state) => opening(state, groupId) ?? state),
  closeGroup: () => set((state) => closing(state) ?? state),
}));

export function useNodeProblems(nodeId: string): Problem[] {
  return useCanvasStore((state) => state.problemsByNode[nodeId] ?? NO_PROBLEMS);
}

export function useSelectedNode(): ModuleNode | undefined {
  return useCanvasStore((state) => state.nodes.find((node) => node.selected));
}

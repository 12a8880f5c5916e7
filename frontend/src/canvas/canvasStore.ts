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

interface Snapshot {
  nodes: ModuleNode[];
  edges: PortEdge[];
}

interface CanvasState {
  nodes: ModuleNode[];
  edges: PortEdge[];
  extra: Record<string, unknown>;
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
  onNodesChange: (changes: NodeChange<ModuleNode>[]) => void;
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
  setProblems: (problems: Problem[]) => void;
  setSchemas: (schemas: NodeSchemas) => void;
  /** Replace nodes and edges in one undoable step (paste, delete, auto-layout). */
  apply: (change: (current: Snapshot) => Snapshot) => void;
  undo: () => void;
  redo: () => void;
  graph: () => Graph;
  /** The group whose inner graph is on the canvas (see groups/opening.ts), or null. */
  opened: OpenedGroup | null;
  openGroup: (groupId: string) => void;
  closeGroup: () => void;
}

function isEdit(change: NodeChange<ModuleNode> | EdgeChange<PortEdge>): boolean {
  if (change.type === 'select' || change.type === 'dimensions') return false;
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
  return {
    ...next,
    past: sameField ? state.past : [...state.past, state.committed].slice(-HISTORY_LIMIT),
    future: [],
    committed: next,
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
  problems: [],
  problemsByNode: {},
  schemas: {},
  edits: 0,
  committed: { nodes: [], edges: [] },
  past: [],
  future: [],
  lastEdit: null,
  load: (graph, problems) => {
    const loaded = { nodes: graph.nodes.map(nodeFromGraph), edges: graph.edges.map(edgeFromGraph) };
    set({
      ...loaded,
      extra: graphExtra(graph),
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
      const nodes = applyNodeChanges(changes, state.nodes);
      // A drag moves nodes many times but is one edit, committed when it ends.
      return changes.some(isEdit) ? committing(state, { nodes, edges: state.edges }) : { nodes };
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
  setProblems: (problems) => set({ problems, problemsByNode: groupByNode(problems) }),
  setSchemas: (schemas) => set({ schemas }),
  apply: (change) => set((state) => committing(state, change({ nodes: state.nodes, edges: state.edges }))),
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
    const { extra, nodes, edges, opened } = get();
    const outer = opened ? enclosing(opened, { nodes, edges }) : { nodes, edges };
    return buildGraph(extra, outer.nodes, outer.edges);
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

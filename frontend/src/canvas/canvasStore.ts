/** Canvas state: the draft's nodes and edges, its problems, and a counter of edits that autosave watches. */
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

const NO_PROBLEMS: Problem[] = [];

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
  load: (graph: Graph, problems: Problem[]) => void;
  onNodesChange: (changes: NodeChange<ModuleNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<PortEdge>[]) => void;
  connect: (connection: Connection) => void;
  addModule: (spec: ModuleSpec, position: XYPosition) => string;
  setParameter: (nodeId: string, name: string, value: ParameterValue) => void;
  setProblems: (problems: Problem[]) => void;
  setSchemas: (schemas: NodeSchemas) => void;
  graph: () => Graph;
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
  load: (graph, problems) =>
    set({
      nodes: graph.nodes.map(nodeFromGraph),
      edges: graph.edges.map(edgeFromGraph),
      extra: graphExtra(graph),
      problems,
      problemsByNode: groupByNode(problems),
      edits: 0,
    }),
  onNodesChange: (changes) =>
    set((state) => ({
      nodes: applyNodeChanges(changes, state.nodes),
      edits: state.edits + (changes.some(isEdit) ? 1 : 0),
    })),
  onEdgesChange: (changes) =>
    set((state) => ({
      edges: applyEdgeChanges(changes, state.edges),
      edits: state.edits + (changes.some(isEdit) ? 1 : 0),
    })),
  connect: (connection) =>
    set((state) => {
      const id = edgeId(
        connection.source,
        connection.sourceHandle ?? '',
        connection.target,
        connection.targetHandle ?? '',
      );
      return { edges: addEdge({ ...connection, id, data: { extra: {} } }, state.edges), edits: state.edits + 1 };
    }),
  addModule: (spec, position) => {
    const id = newNodeId(spec.name, get().nodes);
    const node: ModuleNode = {
      id,
      type: 'module',
      position,
      data: { module: spec.name, version: spec.version, parameters: defaults(spec), extra: {} },
    };
    set((state) => ({
      nodes: [...state.nodes.map((other) => ({ ...other, selected: false })), { ...node, selected: true }],
      edits: state.edits + 1,
    }));
    return id;
  },
  setParameter: (nodeId, name, value) =>
    set((state) => ({
      nodes: state.nodes.map((node) =>
        node.id === nodeId
          ? { ...node, data: { ...node.data, parameters: { ...node.data.parameters, [name]: value } } }
          : node,
      ),
      edits: state.edits + 1,
    })),
  setProblems: (problems) => set({ problems, problemsByNode: groupByNode(problems) }),
  setSchemas: (schemas) => set({ schemas }),
  graph: () => buildGraph(get().extra, get().nodes, get().edges),
}));

export function useNodeProblems(nodeId: string): Problem[] {
  return useCanvasStore((state) => state.problemsByNode[nodeId] ?? NO_PROBLEMS);
}

export function useSelectedNode(): ModuleNode | undefined {
  return useCanvasStore((state) => state.nodes.find((node) => node.selected));
}

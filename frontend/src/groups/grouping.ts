/** Sub-pipelines on the canvas: group a selection, ungroup a group, and the inner graph of an open
 * group. Pure functions of (nodes, edges), so each is one undo step and easy to test.
 *
 * A group node keeps its inner graph in `data.extra.group` exactly as the graph format writes it
 * (docs/graph-format.md): inner nodes and edges, and the inner ports it exposes as its own. */
import type { GraphEdge, GraphNode } from '../api/types';
import type { Selection } from '../canvas/editing';
import {
  edgeFromGraph,
  edgeId,
  edgeToGraph,
  type ModuleNode,
  newNodeId,
  nodeFromGraph,
  nodeToGraph,
  type PortEdge,
} from '../canvas/graphFormat';

export interface ExposedPort {
  /** The group's port (its handle id). */
  name: string;
  /** The inner node and port it stands for. */
  node: string;
  port: string;
}

export interface GroupDocument {
  nodes: GraphNode[];
  edges: GraphEdge[];
  inputs: ExposedPort[];
  outputs: ExposedPort[];
  [unknownKey: string]: unknown;
}

/** Between a group's id and an inner node's id in step names: "prep:clean" (the runner's too). */
export const SEPARATOR = ':';

export function isGroupNode(node: ModuleNode): boolean {
  return node.type === 'subpipeline';
}

export function groupOf(node: ModuleNode | undefined): GroupDocument | undefined {
  return node && isGroupNode(node) ? (node.data.extra.group as GroupDocument) : undefined;
}

/** Does this step (or problem) belong to group `groupId`? */
export function isInside(groupId: string, nodeId: string | null | undefined): boolean {
  return typeof nodeId === 'string' && nodeId.startsWith(`${groupId}${SEPARATOR}`);
}

function groupNode(id: string, position: { x: number; y: number }, group: GroupDocument): ModuleNode {
  return {
    id,
    type: 'subpipeline',
    position,
    selected: true,
    data: { module: '', version: '', parameters: {}, extra: { group } },
  };
}

/** A port name not yet in `taken`: the inner port's own name, else prefixed by its node. */
function freshName(taken: Set<string>, node: string, port: string): string {
  let name = taken.has(port) ? `${node}_${port}` : port;
  for (let number = 2; taken.has(name); number += 1) name = `${node}_${port}_${number}`;
  taken.add(name);
  return name;
}

function retarget(
  edge: PortEdge,
  change: Partial<Pick<PortEdge, 'source' | 'sourceHandle' | 'target' | 'targetHandle'>>,
) {
  const moved = { ...edge, ...change, selected: false };
  return { ...moved, id: edgeId(moved.source, moved.sourceHandle ?? '', moved.target, moved.targetHandle ?? '') };
}

/** Why the selection cannot be grouped, or null when it can. */
export function groupRefusal({ nodes }: Selection): string | null {
  const chosen = nodes.filter((node) => node.selected);
  if (chosen.length === 0) return 'Select the modules to group first.';
  if (chosen.some(isGroupNode)) return 'A group cannot hold another group: ungroup it first.';
  return null;
}

/** The selected nodes replaced by one group node; every edge crossing the selection's boundary
 * becomes an exposed port (one per inner input, one per inner output that feeds outside). */
export function groupSelection(current: Selection): Selection {
  if (groupRefusal(current) !== null) return current;
  const chosen = current.nodes.filter((node) => node.selected);
  const ids = new Set(chosen.map((node) => node.id));
  const id = newNodeId('group', current.nodes);
  const [inputNames, outputNames] = [new Set<string>(), new Set<string>()];
  const inputs: ExposedPort[] = [];
  const outputs: ExposedPort[] = [];
  const outer: PortEdge[] = [];
  for (const edge of current.edges) {
    const [from, to] = [ids.has(edge.source), ids.has(edge.target)];
    if (from === to) {
      if (!from) outer.push(edge);
      continue;
    }
    if (to) {
      const name = freshName(inputNames, edge.target, edge.targetHandle ?? '');
      inputs.push({ name, node: edge.target, port: edge.targetHandle ?? '' });
      outer.push(retarget(edge, { target: id, targetHandle: name }));
    } else {
      let exposed = outputs.find((port) => port.node === edge.source && port.port === edge.sourceHandle);
      if (!exposed) {
        const name = freshName(outputNames, edge.source, edge.sourceHandle ?? '');
        exposed = { name, node: edge.source, port: edge.sourceHandle ?? '' };
        outputs.push(exposed);
      }
      outer.push(retarget(edge, { source: id, sourceHandle: exposed.name }));
    }
  }
  const inner = current.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
  const group: GroupDocument = {
    nodes: chosen.map(nodeToGraph),
    edges: inner.map(edgeToGraph),
    inputs,
    outputs,
  };
  const centre = {
    x: Math.round(chosen.reduce((sum, node) => sum + node.position.x, 0) / chosen.length),
    y: Math.round(chosen.reduce((sum, node) => sum + node.position.y, 0) / chosen.length),
  };
  return {
    nodes: [
      ...current.nodes.filter((node) => !ids.has(node.id)).map((node) => ({ ...node, selected: false })),
      groupNode(id, centre, group),
    ],
    edges: outer,
  };
}

/** The group's inner nodes and edges back in its place (selected), wired to what fed and followed it.
 * An inner id already taken outside gets a fresh one. */
export function ungroup(current: Selection, groupId: string): Selection {
  const node = current.nodes.find((candidate) => candidate.id === groupId);
  const group = groupOf(node);
  if (!group) return current;
  const others = current.nodes.filter((candidate) => candidate.id !== groupId);
  const renamed = new Map<string, string>();
  const restored: ModuleNode[] = [];
  for (const graphNode of group.nodes) {
    const taken = [...others, ...restored];
    const id = taken.some((other) => other.id === graphNode.id) ? newNodeId(graphNode.module, taken) : graphNode.id;
    renamed.set(graphNode.id, id);
    restored.push({ ...nodeFromGraph({ ...graphNode, id }), selected: true });
  }
  const rename = (id: string) => renamed.get(id) ?? id;
  const innerEdges = group.edges.map((edge) =>
    edgeFromGraph({
      ...edge,
      source: { ...edge.source, node: rename(edge.source.node) },
      target: { ...edge.target, node: rename(edge.target.node) },
    }),
  );
  const outerEdges = current.edges.flatMap((edge): PortEdge[] => {
    if (edge.source !== groupId && edge.target !== groupId) return [edge];
    const input = group.inputs.find((port) => edge.target === groupId && port.name === edge.targetHandle);
    const output = group.outputs.find((port) => edge.source === groupId && port.name === edge.sourceHandle);
    if (edge.target === groupId && !input) return [];
    if (edge.source === groupId && !output) return [];
    return [
      retarget(edge, {
        ...(output ? { source: rename(output.node), sourceHandle: output.port } : {}),
        ...(input ? { target: rename(input.node), targetHandle: input.port } : {}),
      }),
    ];
  });
  return {
    nodes: [...others.map((other) => ({ ...other, selected: false })), ...restored],
    edges: [...outerEdges, ...innerEdges],
  };
}

/** What the canvas shows while a group is open: its inner graph, ids prefixed as the runner names
 * the steps ("prep:clean"), so run states, problems and logs find their node. */
export function openedView(groupId: string, group: GroupDocument): Selection {
  const prefix = `${groupId}${SEPARATOR}`;
  return {
    nodes: group.nodes.map((graphNode) => nodeFromGraph({ ...graphNode, id: prefix + graphNode.id })),
    edges: group.edges.map((edge) =>
      edgeFromGraph({
        ...edge,
        source: { ...edge.source, node: prefix + edge.source.node },
        target: { ...edge.target, node: prefix + edge.target.node },
      }),
    ),
  };
}

/** The outer canvas with the open group's inner graph written back. Exposed ports whose inner
 * node was deleted inside go, and with them the outer edges to them. */
export function closedInto(outer: Selection, groupId: string, inner: Selection): Selection {
  const prefix = `${groupId}${SEPARATOR}`;
  const strip = (id: string) => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
  const previous = groupOf(outer.nodes.find((node) => node.id === groupId));
  if (!previous) return outer;
  const nodes = inner.nodes.map((node) => ({ ...nodeToGraph(node), id: strip(node.id) }));
  const kept = new Set(nodes.map((node) => node.id));
  const group: GroupDocument = {
    ...previous,
    nodes,
    edges: inner.edges.map((edge) => {
      const graphEdge = edgeToGraph(edge);
      return {
        ...graphEdge,
        source: { ...graphEdge.source, node: strip(edge.source) },
        target: { ...graphEdge.target, node: strip(edge.target) },
      };
    }),
    inputs: previous.inputs.filter((port) => kept.has(port.node)),
    outputs: previous.outputs.filter((port) => kept.has(port.node)),
  };
  const inputs = new Set(group.inputs.map((port) => port.name));
  const outputs = new Set(group.outputs.map((port) => port.name));
  return {
    nodes: outer.nodes.map((node) =>
      node.id === groupId ? { ...node, data: { ...node.data, extra: { ...node.data.extra, group } } } : node,
    ),
    edges: outer.edges.filter(
      (edge) =>
        (edge.target !== groupId || inputs.has(edge.targetHandle ?? '')) &&
        (edge.source !== groupId || outputs.has(edge.sourceHandle ?? '')),
    ),
  };
}

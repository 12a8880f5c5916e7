/** Translation between the graph format (format_version 2) and React Flow's nodes and edges.
 * Keys the canvas does not know are carried along untouched, so a save never drops them. */
import type { Edge, Node } from '@xyflow/react';
import type { Graph, GraphEdge, GraphNode, ParameterValue } from '../api/types';

export interface ModuleNodeData extends Record<string, unknown> {
  module: string;
  version: string;
  parameters: Record<string, ParameterValue>;
  extra: Record<string, unknown>;
}

/** A module, or a sub-pipeline ("subpipeline": its inner graph is `data.extra.group`, see groups/). */
export type ModuleNode = Node<ModuleNodeData, 'module' | 'subpipeline'>;
export type PortEdge = Edge<{ extra: Record<string, unknown> }>;

export function edgeId(source: string, sourcePort: string, target: string, targetPort: string): string {
  return `${source}.${sourcePort}->${target}.${targetPort}`;
}

export function nodeFromGraph(graphNode: GraphNode): ModuleNode {
  const { id, module, version, parameters, position, ...extra } = graphNode;
  return {
    id,
    type: 'group' in graphNode ? 'subpipeline' : 'module',
    position: position ?? { x: 0, y: 0 },
    data: { module: module ?? '', version: version ?? '', parameters: { ...(parameters ?? {}) }, extra },
  };
}

export function edgeFromGraph(graphEdge: GraphEdge): PortEdge {
  const { source, target, ...extra } = graphEdge;
  return {
    id: edgeId(source.node, source.port, target.node, target.port),
    source: source.node,
    sourceHandle: source.port,
    target: target.node,
    targetHandle: target.port,
    data: { extra },
  };
}

export function nodeToGraph(node: ModuleNode): GraphNode {
  const { module, version, parameters, extra } = node.data;
  const position = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
  // A group has no module: its inner graph travels in `extra.group`.
  if (node.type === 'subpipeline') return { ...extra, id: node.id, position } as GraphNode;
  return { ...extra, id: node.id, module, version, parameters, position };
}

export function edgeToGraph(edge: PortEdge): GraphEdge {
  return {
    ...(edge.data?.extra ?? {}),
    source: { node: edge.source, port: edge.sourceHandle ?? '' },
    target: { node: edge.target, port: edge.targetHandle ?? '' },
  };
}

export function graphExtra(graph: Graph): Record<string, unknown> {
  const { format_version: _version, nodes: _nodes, edges: _edges, ...extra } = graph;
  return extra;
}

export function buildGraph(extra: Record<string, unknown>, nodes: ModuleNode[], edges: PortEdge[]): Graph {
  return { ...extra, format_version: 2, nodes: nodes.map(nodeToGraph), edges: edges.map(edgeToGraph) };
}

/** A short id not used yet: `<module>-<n>`. */
export function newNodeId(module: string, nodes: ModuleNode[]): string {
  const taken = new Set(nodes.map((node) => node.id));
  let number = nodes.length + 1;
  while (taken.has(`${module}-${number}`)) number += 1;
  return `${module}-${number}`;
}

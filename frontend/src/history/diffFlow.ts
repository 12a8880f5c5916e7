/** The nodes and edges a diff is drawn with: every node of either graph (a removed one where it
 * was), every edge of either graph, each marked with what became of it. Pure, so it is tested. */
import type { Edge, Node } from '@xyflow/react';
import type { Graph, GraphNode } from '../api/types';
import { edgeId, type ModuleNodeData, nodeFromGraph } from '../canvas/graphFormat';
import type { GraphDiff, NodeDiff } from './types';

export interface DiffNodeData extends ModuleNodeData {
  diff: NodeDiff;
}

export type DiffFlowNode = Node<DiffNodeData, 'diff'>;

function byId(graph: Graph): Map<string, GraphNode> {
  return new Map(graph.nodes.map((node) => [node.id, node]));
}

export function diffFlow(diff: GraphDiff, base: Graph, head: Graph): { nodes: DiffFlowNode[]; edges: Edge[] } {
  const baseNodes = byId(base);
  const headNodes = byId(head);
  const nodes = diff.nodes.flatMap((change): DiffFlowNode[] => {
    const graphNode = change.status === 'removed' ? baseNodes.get(change.node) : headNodes.get(change.node);
    if (!graphNode) return [];
    const drawn = nodeFromGraph(graphNode);
    return [
      {
        ...drawn,
        type: 'diff',
        className: `diff-${change.status}`,
        data: { ...drawn.data, diff: change },
        draggable: false,
        connectable: false,
      },
    ];
  });
  const edges = diff.edges.map((change): Edge => ({
    id: edgeId(change.source.node, change.source.port, change.target.node, change.target.port),
    source: change.source.node,
    sourceHandle: change.source.port,
    target: change.target.node,
    targetHandle: change.target.port,
    className: `diff-edge-${change.status}`,
    data: { status: change.status },
  }));
  return { nodes, edges };
}

/** "split_data v1 → split_data v2" when a kept node's module or its version changed, else null. */
export function moduleChange(diff: NodeDiff): string | null {
  if (diff.status !== 'changed' || diff.old_version === null) return null;
  return `${diff.old_module ?? diff.module} v${diff.old_version} → ${diff.module} v${diff.new_version}`;
}

/** How many things changed, in words: "1 changed, 1 removed · 2 connections removed". */
export function diffSummary(diff: GraphDiff): string {
  const { summary } = diff;
  const modules = (['added', 'removed', 'changed'] as const)
    .filter((status) => summary[status] > 0)
    .map((status) => `${summary[status]} ${status}`);
  const connections = [
    summary.edges_added > 0 ? `${summary.edges_added} added` : '',
    summary.edges_removed > 0 ? `${summary.edges_removed} removed` : '',
  ].filter(Boolean);
  const parts = [
    modules.length ? `modules: ${modules.join(', ')}` : 'no module changed',
    connections.length ? `connections: ${connections.join(', ')}` : '',
  ].filter(Boolean);
  return parts.join(' · ');
}

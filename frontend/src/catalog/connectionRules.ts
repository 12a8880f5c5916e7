/** Why a connection may not be made, in words for the person making it (null: it may). */
import type { Connection, Edge } from '@xyflow/react';
import type { ModuleSpec, PortType } from '../api/types';
import { portsCompatible, portTypeLabel } from './catalogStore';

interface Graphish {
  specOf: (nodeId: string) => ModuleSpec | undefined;
  edges: Pick<Edge, 'source' | 'target' | 'targetHandle'>[];
  portTypes: Record<string, PortType>;
}

export function connectionRefusal(connection: Connection | Edge, graph: Graphish): string | null {
  const { source, target, sourceHandle, targetHandle } = connection;
  if (source === target) return 'A module cannot feed itself.';
  const sourceSpec = graph.specOf(source);
  const targetSpec = graph.specOf(target);
  const output = sourceSpec?.outputs.find((port) => port.name === sourceHandle);
  const input = targetSpec?.inputs.find((port) => port.name === targetHandle);
  if (!sourceSpec || !targetSpec || !output || !input) return 'Connect an output port to an input port.';
  if (!portsCompatible(graph.portTypes, output.type, input.type)) {
    const wants = portTypeLabel(graph.portTypes, input.type);
    const gives = portTypeLabel(graph.portTypes, output.type);
    return `${targetSpec.display_name}.${input.label} takes ${wants}, but ${sourceSpec.display_name}.${output.label} gives ${gives}.`;
  }
  if (graph.edges.some((edge) => edge.target === target && edge.targetHandle === targetHandle)) {
    return `${targetSpec.display_name}.${input.label} already has an input; remove that connection first.`;
  }
  if (reaches(graph.edges, target, source)) return 'That connection would make a cycle.';
  return null;
}

/** Is `to` downstream of `from` along the edges? */
function reaches(edges: Graphish['edges'], from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (current === to) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    for (const edge of edges) if (edge.source === current) stack.push(edge.target);
  }
  return false;
}

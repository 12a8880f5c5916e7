/** A read-only canvas of a comparison: both graphs in one, each module and connection coloured by
 * what became of it. It keeps its own nodes (React Flow's uncontrolled mode): nothing here is edited. */
import { Background, Controls, MiniMap, type Node, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import type { Graph } from '../api/types';
import { useThemeStore } from '../theme/themeStore';
import { DiffNode } from './DiffNode';
import { type DiffFlowNode, diffFlow } from './diffFlow';
import type { GraphDiff } from './types';

const nodeTypes = { diff: DiffNode };

const MINIMAP_CLASS: Record<string, string> = {
  added: 'minimap-added',
  removed: 'minimap-removed',
  changed: 'minimap-changed',
};

function minimapClass(node: Node): string {
  return MINIMAP_CLASS[(node as DiffFlowNode).data.diff.status] ?? '';
}

export function DiffCanvas({ diff, base, head }: { diff: GraphDiff; base: Graph; head: Graph }) {
  const flow = useMemo(() => diffFlow(diff, base, head), [diff, base, head]);
  const theme = useThemeStore((state) => state.theme);
  return (
    <div className="flow-canvas" data-testid="diff-canvas">
      <ReactFlow
        defaultNodes={flow.nodes}
        defaultEdges={flow.edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
        colorMode={theme}
        fitView
        fitViewOptions={{ maxZoom: 1, padding: 0.12 }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeClassName={minimapClass} />
      </ReactFlow>
    </div>
  );
}

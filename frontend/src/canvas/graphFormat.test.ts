import { describe, expect, it } from 'vitest';
import type { Graph } from '../api/types';
import { buildGraph, edgeFromGraph, graphExtra, newNodeId, nodeFromGraph } from './graphFormat';

const GRAPH: Graph = {
  format_version: 2,
  title: 'kept at the top',
  nodes: [
    {
      id: 'iris',
      module: 'sample_dataset',
      version: '1',
      parameters: { dataset: 'iris' },
      position: { x: 0, y: 10 },
      compute_target: 'gpu',
    },
    {
      id: 'petals',
      module: 'select_columns',
      version: '1',
      parameters: { columns: ['a'] },
      position: { x: 300, y: 10.4 },
    },
  ],
  edges: [{ source: { node: 'iris', port: 'dataset' }, target: { node: 'petals', port: 'dataset' }, note: 'kept' }],
};

describe('graph format', () => {
  it('comes back unchanged, unknown keys included, after a trip through the canvas', () => {
    const nodes = GRAPH.nodes.map(nodeFromGraph);
    const edges = GRAPH.edges.map(edgeFromGraph);
    const again = buildGraph(graphExtra(GRAPH), nodes, edges);
    expect(again).toEqual({
      ...GRAPH,
      nodes: [GRAPH.nodes[0], { ...GRAPH.nodes[1], position: { x: 300, y: 10 } }],
    });
  });

  it('names a new node after its module with the first free number', () => {
    const nodes = [nodeFromGraph({ id: 'split_data-2', module: 'split_data', version: '1' })];
    expect(newNodeId('split_data', nodes)).toBe('split_data-3');
    expect(newNodeId('sample_dataset', nodes)).toBe('sample_dataset-2');
  });
});

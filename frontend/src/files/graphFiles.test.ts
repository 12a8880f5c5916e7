import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Graph } from '../api/types';
import { nodeFromGraph } from '../canvas/graphFormat';
import { importIntoCanvas, parseGraphText, pipelineNameOf, refusalMessage } from './graphFiles';

const GRAPH: Graph = {
  format_version: 2,
  nodes: [
    { id: 'load', module: 'sample_dataset', version: '1', parameters: { dataset: 'iris' }, position: { x: 5, y: 6 } },
  ],
  edges: [],
};

describe('graph files', () => {
  it('says when a file is not JSON', () => {
    expect(parseGraphText('a.json', '{"format_version": 2}')).toEqual({ document: { format_version: 2 } });
    const parsed = parseGraphText('notes.json', 'hello');
    expect('error' in parsed && parsed.error.startsWith('notes.json is not JSON:')).toBe(true);
  });

  it('names what the server found wrong', () => {
    const refused = new ApiError(400, {
      detail: 'the graph is not in a format Trellis reads',
      errors: ["$.nodes[0]: 'version' is a required property"],
    });
    expect(refusalMessage('bad.json', refused)).toBe(
      "bad.json is not a graph Trellis reads: $.nodes[0]: 'version' is a required property",
    );
    expect(refusalMessage('x.json', new Error('offline'))).toBe('x.json could not be read: offline');
  });

  it('names a pipeline after its file', () => {
    expect(pipelineNameOf('iris_split.json')).toBe('iris_split');
    expect(pipelineNameOf('.json')).toBe('Imported pipeline');
  });

  it('loads a graph as it is on an empty canvas and pastes it beside existing modules', () => {
    const empty = importIntoCanvas({ nodes: [], edges: [] }, GRAPH);
    expect(empty.nodes.map((node) => [node.id, node.position])).toEqual([['load', { x: 5, y: 6 }]]);
    const beside = importIntoCanvas({ nodes: [nodeFromGraph(GRAPH.nodes[0]!)], edges: [] }, GRAPH);
    expect(beside.nodes.map((node) => node.id)).toEqual(['load', 'sample_dataset-2']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Graph } from '../api/types';
import { useCanvasStore } from './canvasStore';
import { deleteSelection, graphFromText, pasteGraph, selectionToGraph } from './editing';
import { edgeFromGraph, nodeFromGraph } from './graphFormat';

const GRAPH: Graph = {
  format_version: 2,
  nodes: [
    { id: 'load', module: 'sample_dataset', version: '1', parameters: { dataset: 'iris' }, position: { x: 0, y: 0 } },
    { id: 'pick', module: 'select_columns', version: '1', parameters: { columns: ['a'] }, position: { x: 200, y: 0 } },
    { id: 'split', module: 'split_data', version: '1', parameters: {}, position: { x: 400, y: 0 } },
  ],
  edges: [
    { source: { node: 'load', port: 'dataset' }, target: { node: 'pick', port: 'dataset' } },
    { source: { node: 'pick', port: 'dataset' }, target: { node: 'split', port: 'dataset' } },
  ],
};

function canvas(selected: string[]) {
  return {
    nodes: GRAPH.nodes.map((node) => ({ ...nodeFromGraph(node), selected: selected.includes(node.id) })),
    edges: GRAPH.edges.map(edgeFromGraph),
  };
}

describe('copy and paste', () => {
  it('copies the selected modules and only the edges between them', () => {
    const copied = selectionToGraph(canvas(['pick', 'split']));
    expect(copied?.nodes.map((node) => node.id)).toEqual(['pick', 'split']);
    expect(copied?.edges).toHaveLength(1);
  });

  it('pastes with fresh ids, offset, selected, edges rewired', () => {
    const copied = selectionToGraph(canvas(['pick', 'split'])) as Graph;
    const pasted = pasteGraph(canvas([]), graphFromText(JSON.stringify(copied)) as Graph);
    const added = pasted.nodes.slice(3);
    expect(added.map((node) => node.id)).toEqual(['select_columns-4', 'split_data-5']);
    expect(added.every((node) => node.selected)).toBe(true);
    expect(added[0]?.position).toEqual({ x: 240, y: 40 });
    expect(pasted.edges.at(-1)?.source).toBe('select_columns-4');
    expect(pasted.edges.at(-1)?.target).toBe('split_data-5');
  });

  it('ignores text that is not a graph', () => {
    expect(graphFromText('hello')).toBeNull();
    expect(graphFromText('{"a": 1}')).toBeNull();
  });

  it('deletes the selected modules with their edges', () => {
    const left = deleteSelection(canvas(['pick']));
    expect(left.nodes.map((node) => node.id)).toEqual(['load', 'split']);
    expect(left.edges).toHaveLength(0);
  });
});

describe('undo and redo', () => {
  it('walks back and forth over edits, one step each, typing in one field being one step', () => {
    const store = useCanvasStore.getState();
    store.load(GRAPH, []);
    store.setParameter('split', 'fraction', 0.5);
    store.setParameter('split', 'fraction', 0.55);
    store.apply((current) =>
      deleteSelection({ ...current, nodes: current.nodes.map((n) => ({ ...n, selected: n.id === 'load' })) }),
    );
    expect(useCanvasStore.getState().nodes).toHaveLength(2);

    useCanvasStore.getState().undo();
    expect(useCanvasStore.getState().nodes).toHaveLength(3);
    expect(useCanvasStore.getState().edges).toHaveLength(2);
    useCanvasStore.getState().undo();
    expect(useCanvasStore.getState().nodes[2]?.data.parameters.fraction).toBeUndefined();
    useCanvasStore.getState().redo();
    expect(useCanvasStore.getState().nodes[2]?.data.parameters.fraction).toBe(0.55);
    useCanvasStore.getState().redo();
    expect(useCanvasStore.getState().nodes).toHaveLength(2);
    expect(useCanvasStore.getState().edits).toBe(7);
  });
});

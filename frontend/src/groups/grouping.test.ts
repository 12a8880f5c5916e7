import { beforeEach, describe, expect, it } from 'vitest';
import type { Graph, ModuleSpec, PortSpec } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { pasteGraph, selectionToGraph } from '../canvas/editing';
import { buildGraph, edgeFromGraph, type ModuleNode, nodeFromGraph, type PortEdge } from '../canvas/graphFormat';
import { groupSelection, groupOf, groupRefusal, openedView, ungroup } from './grouping';
import { groupSpec, groupStatus } from './groupSpec';

/** load -> clean -> pick -> split, and load -> split.extra: a chain with one edge jumping over. */
const GRAPH: Graph = {
  format_version: 2,
  nodes: [
    { id: 'load', module: 'sample_dataset', version: '1', parameters: {}, position: { x: 0, y: 0 } },
    { id: 'clean', module: 'clean', version: '1', parameters: {}, position: { x: 200, y: 0 } },
    {
      id: 'pick',
      module: 'select_columns',
      version: '1',
      parameters: { columns: ['a'] },
      position: { x: 400, y: 100 },
    },
    { id: 'split', module: 'split_data', version: '1', parameters: {}, position: { x: 600, y: 0 } },
  ],
  edges: [
    { source: { node: 'load', port: 'dataset' }, target: { node: 'clean', port: 'dataset' } },
    { source: { node: 'clean', port: 'dataset' }, target: { node: 'pick', port: 'dataset' } },
    { source: { node: 'pick', port: 'dataset' }, target: { node: 'split', port: 'dataset' } },
    { source: { node: 'pick', port: 'dataset' }, target: { node: 'split', port: 'extra' } },
    { source: { node: 'load', port: 'dataset' }, target: { node: 'pick', port: 'other' } },
  ],
};

function canvas(selected: string[]) {
  return {
    nodes: GRAPH.nodes.map((node) => ({ ...nodeFromGraph(node), selected: selected.includes(node.id) })),
    edges: GRAPH.edges.map(edgeFromGraph),
  };
}

function wires(selection: {
  edges: { source: string; sourceHandle?: string | null; target: string; targetHandle?: string | null }[];
}) {
  return selection.edges
    .map((edge) => `${edge.source}.${edge.sourceHandle}->${edge.target}.${edge.targetHandle}`)
    .sort();
}

describe('grouping a selection', () => {
  it('replaces the selected nodes by one group holding them and the edges between them', () => {
    const grouped = groupSelection(canvas(['clean', 'pick']));
    expect(grouped.nodes.map((node) => node.id)).toEqual(['load', 'split', 'group-5']);
    const group = groupOf(grouped.nodes[2]);
    expect(group?.nodes.map((node) => node.id)).toEqual(['clean', 'pick']);
    expect(group?.edges).toEqual([GRAPH.edges[1]]);
    expect(grouped.nodes[2]?.position).toEqual({ x: 300, y: 50 });
    expect(grouped.nodes[2]?.selected).toBe(true);
  });

  it('turns every edge crossing the boundary into an exposed port', () => {
    const grouped = groupSelection(canvas(['clean', 'pick']));
    const group = groupOf(grouped.nodes[2]);
    expect(group?.inputs).toEqual([
      { name: 'dataset', node: 'clean', port: 'dataset' },
      { name: 'other', node: 'pick', port: 'other' },
    ]);
    // One output port for pick.dataset, though it feeds split twice.
    expect(group?.outputs).toEqual([{ name: 'dataset', node: 'pick', port: 'dataset' }]);
    expect(wires(grouped)).toEqual([
      'group-5.dataset->split.dataset',
      'group-5.dataset->split.extra',
      'load.dataset->group-5.dataset',
      'load.dataset->group-5.other',
    ]);
  });

  it('names clashing exposed ports after their inner node', () => {
    const grouped = groupSelection(canvas(['pick', 'split']));
    const group = groupOf(grouped.nodes.find((node) => node.id === 'group-5'));
    expect(group?.inputs.map((port) => port.name)).toEqual(['dataset', 'other']);
    const both = groupSelection(canvas(['clean', 'split']));
    expect(groupOf(both.nodes.at(-1))?.inputs.map((port) => port.name)).toEqual(['dataset', 'split_dataset', 'extra']);
  });

  it('refuses an empty selection and a group inside a group', () => {
    expect(groupRefusal(canvas([]))).toMatch(/Select/);
    const grouped = groupSelection(canvas(['clean', 'pick']));
    expect(groupRefusal(grouped)).toMatch(/cannot hold another group/);
    expect(groupSelection(grouped)).toBe(grouped);
  });

  it('writes the group in the graph format, without module or version', () => {
    const grouped = groupSelection(canvas(['clean', 'pick']));
    const written = buildGraph({}, grouped.nodes, grouped.edges).nodes[2] as Record<string, unknown>;
    expect(Object.keys(written).sort()).toEqual(['group', 'id', 'position']);
    expect(nodeFromGraph(written as never).type).toBe('subpipeline');
  });
});

describe('ungrouping', () => {
  it('restores the nodes and edges a group was made of', () => {
    const original = canvas(['clean', 'pick']);
    const restored = ungroup(groupSelection(original), 'group-5');
    expect(restored.nodes.map((node) => node.id).sort()).toEqual(['clean', 'load', 'pick', 'split']);
    expect(wires(restored)).toEqual(wires(original));
    expect(restored.nodes.find((node) => node.id === 'pick')?.position).toEqual({ x: 400, y: 100 });
    expect(restored.nodes.filter((node) => node.selected).map((node) => node.id)).toEqual(['clean', 'pick']);
  });

  it('gives an inner node a fresh id when its own is taken outside', () => {
    const grouped = groupSelection(canvas(['clean', 'pick']));
    const clash = { ...grouped, nodes: [...grouped.nodes, { ...nodeFromGraph(GRAPH.nodes[1]!), id: 'clean' }] };
    const restored = ungroup(clash, 'group-5');
    const renamed = restored.nodes.filter((node) => node.selected).map((node) => node.id);
    expect(renamed).toEqual(['clean-4', 'pick']);
    expect(wires(restored)).toContain('load.dataset->clean-4.dataset');
    expect(wires(restored)).toContain('clean-4.dataset->pick.dataset');
  });
});

describe('copy and paste of a group', () => {
  it('pastes a group as a group with a fresh id and its inner graph intact', () => {
    const grouped = groupSelection(canvas(['clean', 'pick']));
    const copied = selectionToGraph(grouped) as Graph;
    const pasted = pasteGraph(grouped, copied);
    const copy = pasted.nodes.at(-1);
    expect(copy?.id).toBe('group-4');
    expect(copy?.type).toBe('subpipeline');
    expect(groupOf(copy)).toEqual(groupOf(grouped.nodes[2]));
  });
});

describe('opening a group', () => {
  beforeEach(() => useCanvasStore.getState().load(buildGraph({}, ...groupedGraph()), []));

  function groupedGraph(): [ModuleNode[], PortEdge[]] {
    const grouped = groupSelection(canvas(['clean', 'pick']));
    return [grouped.nodes, grouped.edges];
  }

  it('shows the inner graph with ids the runner gives its steps', () => {
    const view = openedView('group-5', groupOf(useCanvasStore.getState().nodes[2])!);
    expect(view.nodes.map((node) => node.id)).toEqual(['group-5:clean', 'group-5:pick']);
    expect(wires(view)).toEqual(['group-5:clean.dataset->group-5:pick.dataset']);
  });

  it('saves edits made inside into the group, and closing is one undo step', () => {
    const store = useCanvasStore.getState;
    store().openGroup('group-5');
    expect(store().opened?.groupId).toBe('group-5');
    store().setParameter('group-5:pick', 'columns', ['b']);
    const saved = store().graph();
    expect(saved.nodes.map((node) => node.id)).toEqual(['load', 'split', 'group-5']);
    const inner = (saved.nodes[2]?.group as { nodes: Graph['nodes'] }).nodes;
    expect(inner[1]?.parameters).toEqual({ columns: ['b'] });

    store().closeGroup();
    expect(store().opened).toBeNull();
    expect(groupOf(store().nodes[2])?.nodes[1]?.parameters).toEqual({ columns: ['b'] });
    store().undo();
    expect(groupOf(store().nodes[2])?.nodes[1]?.parameters).toEqual({ columns: ['a'] });
  });

  it('drops an exposed port whose inner node was deleted inside, with its outer edges', () => {
    const store = useCanvasStore.getState;
    store().openGroup('group-5');
    store().apply((current) => ({
      nodes: current.nodes.filter((node) => node.id !== 'group-5:pick'),
      edges: current.edges.filter((edge) => edge.target !== 'group-5:pick'),
    }));
    store().closeGroup();
    expect(groupOf(store().nodes[2])?.outputs).toEqual([]);
    expect(wires(store())).toEqual(['load.dataset->group-5.dataset']);
  });
});

function port(name: string, type: string): PortSpec {
  return { name, type, label: name, description: '', optional: false };
}

describe('a group as a spec and a status', () => {
  it('types each exposed port by the inner port it stands for', () => {
    const grouped = groupSelection(canvas(['clean', 'pick']));
    const specs: Record<string, Partial<ModuleSpec>> = {
      clean: { inputs: [port('dataset', 'table')], outputs: [port('dataset', 'table')] },
      select_columns: {
        inputs: [port('dataset', 'table'), port('other', 'model')],
        outputs: [port('dataset', 'table')],
      },
    };
    const spec = groupSpec(groupOf(grouped.nodes[2])!, (module) => specs[module] as ModuleSpec);
    expect(spec.inputs.map((input) => [input.name, input.type])).toEqual([
      ['dataset', 'table'],
      ['other', 'model'],
    ]);
    expect(spec.outputs.map((output) => output.type)).toEqual(['table']);
  });

  it('sums its inner steps up in one status', () => {
    expect(groupStatus([])).toBe('idle');
    expect(groupStatus(['completed', 'running', 'failed'])).toBe('running');
    expect(groupStatus(['completed', 'failed', 'skipped'])).toBe('failed');
    expect(groupStatus(['completed', 'pending'])).toBe('running');
    expect(groupStatus(['queued', 'pending'])).toBe('queued');
    expect(groupStatus(['cached', 'cached'])).toBe('cached');
    expect(groupStatus(['cached', 'completed'])).toBe('completed');
  });
});

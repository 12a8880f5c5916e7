import { describe, expect, it } from 'vitest';
import type { Graph } from '../api/types';
import { diffFlow, diffSummary, moduleChange } from './diffFlow';
import type { GraphDiff, NodeDiff } from './types';

const node = (id: string, module: string, x: number, parameters = {}) => ({
  id,
  module,
  version: '1',
  parameters,
  position: { x, y: 0 },
});
const edge = (source: string, target: string) => ({
  source: { node: source, port: 'dataset' },
  target: { node: target, port: 'dataset' },
});

const BASE: Graph = {
  format_version: 2,
  nodes: [node('load', 'sample_dataset', 0), node('pick', 'select_columns', 200), node('split', 'split_data', 400)],
  edges: [edge('load', 'pick'), edge('pick', 'split')],
};
const HEAD: Graph = {
  format_version: 2,
  nodes: [node('load', 'sample_dataset', 0), node('split', 'split_data', 420, { fraction: 0.5 })],
  edges: [edge('load', 'split')],
};

function change(id: string, status: NodeDiff['status'], extra: Partial<NodeDiff> = {}): NodeDiff {
  return {
    node: id,
    status,
    module: '',
    old_module: null,
    old_version: null,
    new_version: null,
    parameters: [],
    settings: [],
    moved: false,
    ...extra,
  };
}

const DIFF: GraphDiff = {
  nodes: [
    change('load', 'unchanged'),
    change('split', 'changed', { parameters: [{ name: 'fraction', old: 0.7, new: 0.5 }] }),
    change('pick', 'removed'),
  ],
  edges: [
    { ...edge('load', 'split'), status: 'added' },
    { ...edge('load', 'pick'), status: 'removed' },
    { ...edge('pick', 'split'), status: 'removed' },
  ],
  summary: { added: 0, removed: 1, changed: 1, unchanged: 1, edges_added: 1, edges_removed: 2 },
};

describe('drawing a diff', () => {
  it('draws every node of either graph, a removed one where it was and a kept one where it is now', () => {
    const { nodes } = diffFlow(DIFF, BASE, HEAD);
    expect(nodes.map((n) => [n.id, n.className, n.position.x])).toEqual([
      ['load', 'diff-unchanged', 0],
      ['split', 'diff-changed', 420],
      ['pick', 'diff-removed', 200],
    ]);
    expect(nodes[1]?.data.parameters).toEqual({ fraction: 0.5 });
    expect(nodes[1]?.data.diff.parameters).toEqual([{ name: 'fraction', old: 0.7, new: 0.5 }]);
    expect(nodes.every((n) => n.type === 'diff' && n.draggable === false)).toBe(true);
  });

  it('marks added and removed connections', () => {
    const { edges } = diffFlow(DIFF, BASE, HEAD);
    expect(edges.map((e) => [e.id, e.className])).toEqual([
      ['load.dataset->split.dataset', 'diff-edge-added'],
      ['load.dataset->pick.dataset', 'diff-edge-removed'],
      ['pick.dataset->split.dataset', 'diff-edge-removed'],
    ]);
  });

  it('sums the changes up in words', () => {
    expect(diffSummary(DIFF)).toBe('modules: 1 removed, 1 changed · connections: 1 added, 2 removed');
    const none = { ...DIFF, summary: { ...DIFF.summary, removed: 0, changed: 0, edges_added: 0, edges_removed: 0 } };
    expect(diffSummary(none)).toBe('no module changed');
  });

  it('writes a module version change only for a module that stayed', () => {
    const upgraded = change('split', 'changed', { module: 'split_data', old_version: '1', new_version: '2' });
    expect(moduleChange(upgraded)).toBe('split_data v1 → split_data v2');
    const swapped = change('model', 'changed', {
      module: 'svm',
      old_module: 'tree',
      old_version: '1',
      new_version: '1',
    });
    expect(moduleChange(swapped)).toBe('tree v1 → svm v1');
    expect(moduleChange(change('pick', 'removed', { old_version: '1' }))).toBeNull();
    expect(moduleChange(change('new', 'added', { new_version: '1' }))).toBeNull();
    expect(moduleChange(change('split', 'changed'))).toBeNull();
  });
});

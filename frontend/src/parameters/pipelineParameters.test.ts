import { beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { parameterDelete, parameterSave, fieldBind } from './parameterEdits';
import { parseValue } from './ParametersSection';
import { runValues } from './RunValuesDialog';
import {
  binding,
  bindingName,
  boundFields,
  canBind,
  describeValues,
  parameterRefusal,
  parametersOf,
  type PipelineParameter,
} from './pipelineParameters';

const FRACTION: PipelineParameter = { name: 'fraction', type: 'float', default: 0.8 };

const GRAPH: Graph = {
  format_version: 2,
  nodes: [
    { id: 'a', module: 'split_data', version: '1', parameters: { fraction: 0.7, seed: 1 } },
    { id: 'b', module: 'split_data', version: '1', parameters: { fraction: 0.7, seed: 2 } },
  ],
  edges: [],
};

function store() {
  return useCanvasStore.getState();
}

describe('bindings', () => {
  it('tells a binding from a plain value', () => {
    expect(bindingName(binding('fraction'))).toBe('fraction');
    expect(bindingName(0.5)).toBeNull();
    expect(bindingName(['a'])).toBeNull();
    expect(bindingName({ $parameter: 'x', other: 1 })).toBeNull();
  });

  it('binds a parameter only to fields that take its values', () => {
    expect(canBind(FRACTION, 'float')).toBe(true);
    expect(canBind(FRACTION, 'int')).toBe(false);
    expect(canBind({ name: 'n', type: 'int', default: 1 }, 'float')).toBe(true);
    const data: PipelineParameter = { name: 'data', type: 'choice', default: 'iris', options: ['iris', 'wine'] };
    expect(canBind(data, 'choice', ['iris', 'wine', 'digits'])).toBe(true);
    expect(canBind(data, 'choice', ['iris'])).toBe(false);
    expect(canBind({ name: 'd', type: 'dataset', default: null }, 'dataset_version')).toBe(true);
  });
});

describe('declaring parameters', () => {
  it('refuses a bad name, a taken name and a choice without options', () => {
    expect(parameterRefusal([], { ...FRACTION, name: '2fast' }, -1)).toMatch(/starts with a letter/);
    expect(parameterRefusal([FRACTION], FRACTION, -1)).toMatch(/already a parameter named fraction/);
    expect(parameterRefusal([FRACTION], FRACTION, 0)).toBeNull();
    expect(parameterRefusal([], { name: 'mode', type: 'choice', default: null }, -1)).toMatch(/at least one option/);
  });

  it('parses typed text', () => {
    expect(parseValue('int', '3')).toBe(3);
    expect(parseValue('int', '3.5')).toBeUndefined();
    expect(parseValue('float', 'x')).toBeUndefined();
    expect(parseValue('float', '')).toBeNull();
    expect(parseValue('string', ' a ')).toBe(' a ');
  });

  it('needs a value for every parameter before a run', () => {
    const seed: PipelineParameter = { name: 'seed', type: 'int', default: null };
    expect(runValues([FRACTION, seed], { fraction: '0.6', seed: '4' })).toEqual({ fraction: 0.6, seed: 4 });
    expect(runValues([FRACTION, seed], { fraction: '0.6', seed: '' })).toBe('seed needs a value.');
    expect(runValues([FRACTION], { fraction: 'lots' })).toBe('fraction must be a number.');
  });

  it('describes a run’s values', () => {
    expect(describeValues({ fraction: 0.6, mode: 'fast' })).toBe('fraction=0.6, mode=fast');
    expect(describeValues(undefined)).toBe('');
  });
});

describe('editing parameters on the canvas', () => {
  beforeEach(() => store().load(GRAPH, []));

  it('creates, binds to two nodes, and saves them in the graph', () => {
    parameterSave(FRACTION, -1);
    fieldBind('a', 'fraction', 'fraction');
    fieldBind('b', 'fraction', 'fraction');

    const graph = store().graph();
    expect(graph.parameters).toEqual([FRACTION]);
    expect(graph.nodes.map((node) => node.parameters?.fraction)).toEqual([binding('fraction'), binding('fraction')]);
    expect(boundFields(store().nodes, 'fraction')).toEqual(['a.fraction', 'b.fraction']);
  });

  it('renaming carries the bindings along', () => {
    parameterSave(FRACTION, -1);
    fieldBind('a', 'fraction', 'fraction');
    parameterSave({ ...FRACTION, name: 'train_share' }, 0);
    expect(store().nodes[0]?.data.parameters.fraction).toEqual(binding('train_share'));
  });

  it('deleting a bound parameter unbinds its fields, which keep its default', () => {
    parameterSave(FRACTION, -1);
    fieldBind('a', 'fraction', 'fraction');
    parameterDelete('fraction', true);
    expect(parametersOf(store().extra)).toEqual([]);
    expect(store().graph().parameters).toBeUndefined();
    expect(store().nodes[0]?.data.parameters.fraction).toBe(0.8);
  });

  it('undo and redo walk through parameter edits and bindings', () => {
    parameterSave(FRACTION, -1);
    fieldBind('a', 'fraction', 'fraction');

    store().undo();
    expect(store().nodes[0]?.data.parameters.fraction).toBe(0.7);
    expect(parametersOf(store().extra)).toEqual([FRACTION]);
    store().undo();
    expect(parametersOf(store().extra)).toEqual([]);
    store().redo();
    store().redo();
    expect(store().nodes[0]?.data.parameters.fraction).toEqual(binding('fraction'));
  });
});

import { describe, expect, it } from 'vitest';
import type { ModuleSpec } from '../api/types';
import { connectionRefusal } from './connectionRules';
import { DESCRIBE, PORT_TYPES, SAMPLE, SELECT } from './testCatalog';

type Edge = { source: string; target: string; targetHandle: string };

const specs: Record<string, ModuleSpec> = { sample: SAMPLE, select: SELECT, select2: SELECT, describe: DESCRIBE };

function refusal(source: string, sourceHandle: string, target: string, targetHandle: string, edges = [] as Edge[]) {
  return connectionRefusal(
    { source, sourceHandle, target, targetHandle },
    { specOf: (id) => specs[id], edges, portTypes: PORT_TYPES },
  );
}

describe('connectionRefusal', () => {
  it('lets a table output feed a table input', () => {
    expect(refusal('sample', 'dataset', 'select', 'dataset')).toBeNull();
  });

  it('names both ends when the port types do not fit', () => {
    expect(refusal('describe', 'summary', 'select', 'dataset')).toBe(
      'Select Columns.Dataset takes table, but Describe.Summary gives text.',
    );
  });

  it('refuses a second edge into an input', () => {
    const edges = [{ source: 'sample', target: 'select', targetHandle: 'dataset' }];
    expect(refusal('select2', 'dataset', 'select', 'dataset', edges)).toMatch(/already has an input/);
  });

  it('refuses a module feeding itself', () => {
    expect(refusal('select', 'dataset', 'select', 'dataset')).toMatch(/cannot feed itself/);
  });

  it('refuses a cycle', () => {
    const edges = [{ source: 'select', target: 'select2', targetHandle: 'dataset' }];
    expect(refusal('select2', 'dataset', 'select', 'dataset', edges)).toMatch(/cycle/);
  });

  it('refuses ports a module does not have', () => {
    expect(refusal('sample', 'nope', 'select', 'dataset')).toMatch(/output port to an input port/);
  });
});

import { describe, expect, it } from 'vitest';
import { nodeFromGraph } from './graphFormat';
import { nodeMatches } from './NodeSearch';

const node = nodeFromGraph({
  id: 'split-3',
  module: 'split_data',
  version: '1',
  parameters: {},
  position: { x: 0, y: 0 },
  comment: 'Hold out a test set',
});

describe('finding modules on the canvas', () => {
  it('matches id, module, display name, comment and status, every word', () => {
    expect(nodeMatches(node, 'split', 'Split Data', '')).toBe(true);
    expect(nodeMatches(node, 'test set', 'Split Data', '')).toBe(true);
    expect(nodeMatches(node, 'failed', 'Split Data', 'failed')).toBe(true);
    expect(nodeMatches(node, 'split failed', 'Split Data', 'completed')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { metricBlocks } from './ComparisonTable';
import type { MetricRow } from './types';

const row = (source: string, node: string, group: string, name: string): MetricRow => ({
  source,
  node,
  group,
  name,
  a: 1,
  b: 2,
  better: null,
  direction: null,
});

describe('metric blocks', () => {
  it('groups rows by source, node and group, keeping their order', () => {
    const blocks = metricBlocks([
      row('evaluation', 'evaluate', 'scored dataset 1', 'auc'),
      row('evaluation', 'evaluate', 'scored dataset 2', 'auc'),
      row('evaluation', 'evaluate', 'scored dataset 1', 'accuracy'),
      row('logged', 'train', '', 'loss'),
    ]);
    expect(blocks.map(([title, rows]) => [title, rows.map((r) => r.name)])).toEqual([
      ['Evaluation · evaluate · scored dataset 1', ['auc', 'accuracy']],
      ['Evaluation · evaluate · scored dataset 2', ['auc']],
      ['Logged · train', ['loss']],
    ]);
  });
});

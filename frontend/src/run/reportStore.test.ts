import { describe, expect, it } from 'vitest';
import type { StepReport } from '../api/types';
import { metricSeries } from './StepMetrics';
import { applyReport, type NodeReports } from './reportStore';
import { formatElapsed } from './StepProgress';

const report = (extra: Partial<StepReport>): StepReport => ({
  type: 'report',
  run: 7,
  node: 'a',
  attempt: 1,
  ...extra,
});
const loaded = (text: string): NodeReports => ({
  attempt: 1,
  log: { text, end: text.length },
  logVersion: 0,
  progress: null,
  metricsVersion: 0,
});

describe('live reports of a step', () => {
  it('appends log text that follows what is shown', () => {
    const node = applyReport(loaded('one\n'), report({ log: { offset: 4, end: 8, text: 'two\n' } }));
    expect(node.log).toEqual({ text: 'one\ntwo\n', end: 8 });
    expect(node.logVersion).toBe(0);
  });

  it('ignores text already in the fetched log and refetches after a gap', () => {
    const shown = loaded('one\ntwo\n');
    expect(applyReport(shown, report({ log: { offset: 4, end: 8, text: 'two\n' } }))).toBe(shown);
    const gap = applyReport(shown, report({ log: { offset: 12, end: 16, text: 'four' } }));
    expect(gap.log).toBeUndefined();
    expect(gap.logVersion).toBe(1);
  });

  it('refetches a log that was cut, and keeps no text until the log is shown', () => {
    expect(applyReport(loaded('x'), report({ log: { reset: true } })).logVersion).toBe(1);
    expect(applyReport(undefined, report({ log: { offset: 0, end: 3, text: 'abc' } })).log).toBeUndefined();
  });

  it('keeps the latest progress and counts metric changes', () => {
    let node = applyReport(undefined, report({ progress: { done: 1, total: 4 } }));
    node = applyReport(node, report({ metrics: [{ name: 'loss', value: 1, step: 0, logged_at: '' }] }));
    expect(node.progress).toEqual({ done: 1, total: 4 });
    expect(node.metricsVersion).toBe(1);
  });

  it('starts afresh for a new attempt and ignores an older one', () => {
    const first = applyReport(loaded('old'), report({ progress: { done: 3, total: 4 } }));
    const second = applyReport(first, report({ attempt: 2, progress: { done: 1, total: 4 } }));
    expect(second.log).toBeUndefined();
    expect(second.progress).toEqual({ done: 1, total: 4 });
    expect(applyReport(second, report({ attempt: 1, progress: { done: 4, total: 4 } }))).toBe(second);
  });
});

describe('logged metrics', () => {
  it('groups by name with the latest value and the stepped values in order', () => {
    const series = metricSeries([
      { name: 'loss', value: 0.5, step: 1, logged_at: '' },
      { name: 'accuracy', value: 0.9, step: null, logged_at: '' },
      { name: 'loss', value: 0.9, step: 0, logged_at: '' },
    ]);
    expect(series.map((one) => [one.name, one.latest.value, one.count])).toEqual([
      ['loss', 0.9, 2],
      ['accuracy', 0.9, 1],
    ]);
    expect(series[0]?.points).toEqual([
      { step: 0, value: 0.9 },
      { step: 1, value: 0.5 },
    ]);
  });
});

describe('elapsed time', () => {
  it('reads as minutes and seconds, hours when it takes that long', () => {
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
    expect(formatElapsed(-5)).toBe('0:00');
  });
});

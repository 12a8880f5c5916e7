import { describe, expect, it } from 'vitest';
import { describeOptions, formatDuration, formatMetric, formatValue, versionTitle } from './format';
import type { VersionSummary } from './types';

const VERSION: VersionSummary = {
  number: 3,
  message: '',
  origin: 'run',
  created_by: 'demo',
  created_at: '2026-01-01T10:00:00Z',
  made_by_run: 4,
  run_count: 1,
};

describe('history formatting', () => {
  it('writes durations from seconds to hours', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(3.21)).toBe('3.2 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(7260)).toBe('2 h 1 min');
  });

  it('sums up run options, and says nothing of a plain run', () => {
    expect(describeOptions({})).toBe('');
    expect(describeOptions({ up_to: 'split', regenerate: true })).toBe('up to split, regenerate');
    expect(describeOptions({ retry_of: 12 })).toBe('retry');
  });

  it('shows changed values as people read them', () => {
    expect(formatValue(null)).toBe('(not set)');
    expect(formatValue(0.8)).toBe('0.8');
    expect(formatValue(['a', 'b'])).toBe('a, b');
    expect(formatValue(false)).toBe('false');
    expect(formatMetric(0.912345)).toBe('0.9123');
    expect(formatMetric(3)).toBe('3');
  });

  it('titles a version by its message, else by the run that made it', () => {
    expect(versionTitle({ ...VERSION, message: 'baseline' })).toBe('baseline');
    expect(versionTitle(VERSION)).toBe('Made by run 4');
    expect(versionTitle({ ...VERSION, made_by_run: null })).toBe('Untitled version');
  });
});

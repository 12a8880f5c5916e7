import { describe, expect, it } from 'vitest';
import { observedHint } from './observedSchema';

const COLUMNS = [{ name: 'doubled', type: 'integer' }];

describe('the hint on columns seen in a run', () => {
  it('names the run, and says when the pipeline changed since', () => {
    expect(observedHint({ columns: COLUMNS, complete: true, observed: { run: 12, current: true } })).toBe(
      'columns as observed in run 12',
    );
    expect(observedHint({ columns: COLUMNS, complete: false, observed: { run: 3, current: false } })).toBe(
      'columns as observed in run 3; the pipeline changed since, so run it to be sure',
    );
  });

  it('says nothing of columns a module states, or of unknown ones', () => {
    expect(observedHint({ columns: COLUMNS, complete: true })).toBeNull();
    expect(observedHint(null)).toBeNull();
  });
});

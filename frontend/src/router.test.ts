import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

describe('routes', () => {
  it('reads the draft, a version, a comparison, a run and a run comparison of a pipeline', () => {
    expect(parseRoute('/pipelines/4/')).toEqual({ page: 'pipeline', pipelineId: 4 });
    expect(parseRoute('/pipelines/4/versions/2/')).toEqual({ page: 'version', pipelineId: 4, number: 2 });
    expect(parseRoute('/pipelines/4/compare/1/draft/')).toEqual({
      page: 'compare',
      pipelineId: 4,
      base: '1',
      head: 'draft',
    });
    expect(parseRoute('/pipelines/4/runs/31/')).toEqual({ page: 'run', pipelineId: 4, runId: 31 });
    expect(parseRoute('/pipelines/4/runs/31/compare/40/')).toEqual({
      page: 'run-compare',
      pipelineId: 4,
      runId: 31,
      otherId: 40,
    });
  });

  it('finds nothing at paths it does not know', () => {
    expect(parseRoute('/pipelines/4/versions/x/')).toEqual({ page: 'not-found' });
    expect(parseRoute('/pipelines/4/compare/1/')).toEqual({ page: 'not-found' });
  });
});

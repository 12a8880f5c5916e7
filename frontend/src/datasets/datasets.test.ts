import { beforeEach, describe, expect, it } from 'vitest';
import { useCanvasStore } from '../canvas/canvasStore';
import { SAMPLE } from '../catalog/testCatalog';
import { parseRoute } from '../router';
import { matchingDatasets, pinnedImport } from './datasetsStore';
import type { DatasetSummary, DatasetVersion } from './types';

const LATEST: DatasetVersion = {
  number: 2,
  digest: 'b'.repeat(64),
  row_count: 3,
  columns: [{ name: 'name', type: 'string' }],
  file_name: 'people.csv',
  file_format: 'csv',
  created_by: 'ada',
  created_at: '2026-01-02T10:00:00Z',
  exported_by: null,
};

function dataset(id: number, name: string, description = ''): DatasetSummary {
  return { id, workspace: 1, name, description, created_at: '', version_count: 2, latest: LATEST };
}

describe('datasets in the palette', () => {
  it('pins a dropped dataset to its latest version', () => {
    expect(pinnedImport(dataset(7, 'People'))).toEqual({
      source: 'dataset',
      dataset: 7,
      dataset_version: LATEST.digest,
    });
  });

  it('matches the search text against name and description', () => {
    const all = [dataset(1, 'People', 'pioneers of computing'), dataset(2, 'Sales')];
    expect(matchingDatasets(all, 'PIONEER').map((found) => found.name)).toEqual(['People']);
    expect(matchingDatasets(all, ' ')).toEqual(all);
  });
});

describe('adding a module with preset parameters', () => {
  beforeEach(() => useCanvasStore.getState().load({ format_version: 2, nodes: [], edges: [] }, []));

  it('overlays the presets on the defaults in one undoable step', () => {
    const spec = {
      ...SAMPLE,
      parameters: [
        { ...parameterSpec('source', 'choice'), default: 'dataset' },
        parameterSpec('dataset', 'dataset'),
        parameterSpec('dataset_version', 'dataset_version'),
      ],
    };
    const id = useCanvasStore.getState().addModule(spec, { x: 0, y: 0 }, { dataset: 7, dataset_version: 'abc' });
    const node = useCanvasStore.getState().nodes.find((candidate) => candidate.id === id);
    expect(node?.data.parameters).toEqual({ source: 'dataset', dataset: 7, dataset_version: 'abc' });
    useCanvasStore.getState().undo();
    expect(useCanvasStore.getState().nodes).toEqual([]);
  });
});

describe('the datasets page route', () => {
  it('reads the workspace and the optional dataset', () => {
    expect(parseRoute('/workspaces/4/datasets/')).toEqual({ page: 'datasets', workspaceId: 4, datasetId: null });
    expect(parseRoute('/workspaces/4/datasets/9/')).toEqual({ page: 'datasets', workspaceId: 4, datasetId: 9 });
    expect(parseRoute('/workspaces/4/datasets/x/')).toEqual({ page: 'not-found' });
  });
});

function parameterSpec(name: string, kind: 'choice' | 'dataset' | 'dataset_version') {
  return {
    name,
    kind,
    label: name,
    default: null,
    required: false,
    minimum: null,
    maximum: null,
    choices: [],
    description: '',
  };
}

import { beforeEach, describe, expect, it } from 'vitest';
import { useCanvasStore } from '../canvas/canvasStore';
import { SAMPLE } from '../catalog/testCatalog';
import { parseRoute } from '../router';
import { datasetKindFor, matchingDatasets, pinnedImport, pinnedNode } from './datasetsStore';
import { type DatasetSummary, type DatasetVersion, versionContents } from './types';

const LATEST: DatasetVersion = {
  number: 2,
  digest: 'b'.repeat(64),
  kind: 'table',
  row_count: 3,
  columns: [{ name: 'name', type: 'string' }],
  files: [],
  file_name: 'people.csv',
  file_format: 'csv',
  created_by: 'ada',
  created_at: '2026-01-02T10:00:00Z',
  exported_by: null,
};

const ZIPPED = { name: 'helpers/__init__.py', size: 12 };

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

  it('drops a table dataset as Import Data and a zip dataset as Zip Dataset', () => {
    const bundle: DatasetVersion = { ...LATEST, kind: 'zip', row_count: 0, columns: [], files: [ZIPPED] };
    expect(pinnedNode(dataset(7, 'People')).module).toBe('import_data');
    expect(pinnedNode({ ...dataset(8, 'Helpers'), latest: bundle })).toEqual({
      module: 'zip_dataset',
      parameters: { dataset: 8, dataset_version: LATEST.digest },
    });
    expect([datasetKindFor('zip_dataset'), datasetKindFor('import_data')]).toEqual(['zip', 'table']);
    expect(versionContents(bundle)).toBe('1 file (zip)');
    expect(versionContents(LATEST)).toBe('3 rows × 1 columns');
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

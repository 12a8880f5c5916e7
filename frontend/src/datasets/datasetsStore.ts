/** The datasets of the open pipeline's workspace, for the palette and for dataset parameters. */
import { create } from 'zustand';
import { api, errorMessage } from '../api/client';
import { type DatasetDetail, type DatasetKind, type DatasetSummary, kindOf } from './types';

export const IMPORT_MODULE = 'import_data';
/** The module of a zip dataset's node: one `zip` output, for Execute Python Script's script bundle. */
export const ZIP_DATASET_MODULE = 'zip_dataset';

interface DatasetsState {
  workspaceId: number | null;
  datasets: DatasetSummary[];
  /** Each dataset's versions, fetched when a node asks for them. */
  details: Record<number, DatasetDetail>;
  error: string | null;
  load: (workspaceId: number) => Promise<void>;
  reload: () => Promise<void>;
  loadDetail: (datasetId: number) => Promise<void>;
}

export const useDatasetsStore = create<DatasetsState>()((set, get) => ({
  workspaceId: null,
  datasets: [],
  details: {},
  error: null,
  load: async (workspaceId) => {
    if (get().workspaceId !== workspaceId) set({ workspaceId, datasets: [], details: {}, error: null });
    await get().reload();
  },
  reload: async () => {
    const { workspaceId } = get();
    if (workspaceId === null) return;
    try {
      const datasets = await api.get<DatasetSummary[]>(`/api/workspaces/${workspaceId}/datasets/`);
      if (get().workspaceId === workspaceId) set({ datasets, details: {}, error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  loadDetail: async (datasetId) => {
    if (get().details[datasetId]) return;
    try {
      const detail = await api.get<DatasetDetail>(`/api/datasets/${datasetId}/`);
      set((state) => ({ details: { ...state.details, [datasetId]: detail } }));
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));

/** The parameters of an Import Data node that reads `dataset` at its latest version. */
export function pinnedImport(dataset: DatasetSummary): Record<string, string | number> {
  return { source: 'dataset', dataset: dataset.id, dataset_version: dataset.latest?.digest ?? '' };
}

/** The module and parameters of the node a dropped dataset becomes, pinned to its latest version. */
export function pinnedNode(dataset: DatasetSummary): { module: string; parameters: Record<string, string | number> } {
  if (kindOf(dataset) === 'zip') {
    return {
      module: ZIP_DATASET_MODULE,
      parameters: { dataset: dataset.id, dataset_version: dataset.latest?.digest ?? '' },
    };
  }
  return { module: IMPORT_MODULE, parameters: pinnedImport(dataset) };
}

/** The kind of dataset a module's dataset parameter takes. */
export function datasetKindFor(module: string): DatasetKind {
  return module === ZIP_DATASET_MODULE ? 'zip' : 'table';
}

/** Datasets whose name or description holds the search text. */
export function matchingDatasets(datasets: DatasetSummary[], search: string): DatasetSummary[] {
  const needle = search.trim().toLowerCase();
  if (!needle) return datasets;
  return datasets.filter((dataset) => `${dataset.name} ${dataset.description}`.toLowerCase().includes(needle));
}

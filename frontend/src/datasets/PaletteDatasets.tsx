/** The palette's Datasets section: the workspace's datasets, each dropped as Import Data pinned to its latest version. */
import { type DragEvent, type KeyboardEvent, useEffect } from 'react';
import type { ModuleSpec, ParameterValue } from '../api/types';
import { MODULE_DRAG_TYPE, PARAMETERS_DRAG_TYPE } from '../canvas/dragTypes';
import { paletteVersions, moduleKey, useCatalogStore } from '../catalog/catalogStore';
import { Link } from '../router';
import { useRunStore } from '../run/runStore';
import { matchingDatasets, pinnedImport, useDatasetsStore } from './datasetsStore';
import type { DatasetSummary } from './types';

export const IMPORT_MODULE = 'import_data';

type AddModule = (spec: ModuleSpec, parameters?: Record<string, ParameterValue>) => void;

function DatasetItem({
  dataset,
  importer,
  onAdd,
}: {
  dataset: DatasetSummary;
  importer: ModuleSpec;
  onAdd: AddModule;
}) {
  const parameters = pinnedImport(dataset);
  const startDrag = (event: DragEvent<HTMLLIElement>) => {
    event.dataTransfer.setData(MODULE_DRAG_TYPE, moduleKey(importer.name, importer.version));
    event.dataTransfer.setData(PARAMETERS_DRAG_TYPE, JSON.stringify(parameters));
    event.dataTransfer.effectAllowed = 'copy';
  };
  const addOnEnter = (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.key === 'Enter') onAdd(importer, parameters);
  };
  const latest = dataset.latest;
  return (
    <li
      className="palette-item"
      data-testid={`palette-dataset-${dataset.name}`}
      draggable={latest !== null}
      tabIndex={0}
      title={dataset.description || `Import Data from ${dataset.name}, version ${latest?.number ?? '—'}`}
      onDragStart={startDrag}
      onDoubleClick={() => onAdd(importer, parameters)}
      onKeyDown={addOnEnter}
    >
      <span className="palette-name">{dataset.name}</span>
      <span className="palette-description">
        {latest ? `v${latest.number} · ${latest.row_count} rows × ${latest.columns.length} columns` : 'no version'}
      </span>
    </li>
  );
}

export function PaletteDatasets({ search, onAdd }: { search: string; onAdd: AddModule }) {
  const { workspaceId, datasets, error, reload } = useDatasetsStore();
  const modules = useCatalogStore((state) => state.modules);
  const importer = paletteVersions(modules).find((spec) => spec.name === IMPORT_MODULE);
  const runStatus = useRunStore((state) => state.run?.status);
  // A finished run may have exported a new version.
  useEffect(() => {
    if (runStatus === 'completed') void reload();
  }, [runStatus, reload]);
  if (!importer || workspaceId === null) return null;
  const shown = matchingDatasets(datasets, search);
  if (search && shown.length === 0) return null;
  return (
    <section className="palette-group palette-datasets" data-testid="palette-datasets">
      <h3>
        Datasets <Link to={`/workspaces/${workspaceId}/datasets/`}>manage</Link>
      </h3>
      {error && <p className="error-text">{error}</p>}
      {datasets.length === 0 && <p className="muted">No datasets yet: upload one on the datasets page.</p>}
      <ul>
        {shown.map((dataset) => (
          <DatasetItem key={dataset.id} dataset={dataset} importer={importer} onAdd={onAdd} />
        ))}
      </ul>
    </section>
  );
}

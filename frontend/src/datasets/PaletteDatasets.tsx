/** The palette's Datasets section: the workspace's datasets, each dropped as a node pinned to its latest version
 * (Import Data for a table, Zip Dataset for a zip bundle). */
import { type DragEvent, type KeyboardEvent, useEffect } from 'react';
import type { ModuleSpec, ParameterValue } from '../api/types';
import { MODULE_DRAG_TYPE, PARAMETERS_DRAG_TYPE } from '../canvas/dragTypes';
import { paletteVersions, moduleKey, useCatalogStore } from '../catalog/catalogStore';
import { Link } from '../router';
import { useRunStore } from '../run/runStore';
import { IMPORT_MODULE, matchingDatasets, pinnedNode, useDatasetsStore } from './datasetsStore';
import { type DatasetSummary, versionContents } from './types';

type AddModule = (spec: ModuleSpec, parameters?: Record<string, ParameterValue>) => void;

function DatasetItem({ dataset, spec, onAdd }: { dataset: DatasetSummary; spec: ModuleSpec; onAdd: AddModule }) {
  const { parameters } = pinnedNode(dataset);
  const startDrag = (event: DragEvent<HTMLLIElement>) => {
    event.dataTransfer.setData(MODULE_DRAG_TYPE, moduleKey(spec.name, spec.version));
    event.dataTransfer.setData(PARAMETERS_DRAG_TYPE, JSON.stringify(parameters));
    event.dataTransfer.effectAllowed = 'copy';
  };
  const addOnEnter = (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.key === 'Enter') onAdd(spec, parameters);
  };
  const latest = dataset.latest;
  return (
    <li
      className="palette-item"
      data-testid={`palette-dataset-${dataset.name}`}
      draggable={latest !== null}
      tabIndex={0}
      title={dataset.description || `${spec.display_name} from ${dataset.name}, version ${latest?.number ?? '—'}`}
      onDragStart={startDrag}
      onDoubleClick={() => onAdd(spec, parameters)}
      onKeyDown={addOnEnter}
    >
      <span className="palette-name">{dataset.name}</span>
      <span className="palette-description">
        {latest ? `v${latest.number} · ${versionContents(latest)}` : 'no version'}
      </span>
    </li>
  );
}

export function PaletteDatasets({ search, onAdd }: { search: string; onAdd: AddModule }) {
  const { workspaceId, datasets, error, reload } = useDatasetsStore();
  const modules = useCatalogStore((state) => state.modules);
  const specs = paletteVersions(modules);
  const importer = specs.find((spec) => spec.name === IMPORT_MODULE);
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
          <DatasetItem
            key={dataset.id}
            dataset={dataset}
            spec={specs.find((spec) => spec.name === pinnedNode(dataset).module) ?? importer}
            onAdd={onAdd}
          />
        ))}
      </ul>
    </section>
  );
}

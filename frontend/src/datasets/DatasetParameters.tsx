/** A node's dataset and version parameters: pick a workspace dataset, then one of its versions (the pin). */
import { useEffect } from 'react';
import type { ParameterSpec } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import type { ModuleNode } from '../canvas/graphFormat';
import { datasetKindFor, useDatasetsStore } from './datasetsStore';
import { type DatasetSummary, type DatasetVersion, kindOf, shortDigest } from './types';

interface DatasetParametersProps {
  node: ModuleNode;
  dataset: ParameterSpec;
  version: ParameterSpec | undefined;
  readOnly: boolean;
  problemFor: (name: string) => string | undefined;
}

function versionLabel(version: DatasetVersion, latest: boolean): string {
  const made = new Date(version.created_at).toLocaleDateString();
  const contents = version.kind === 'zip' ? `${version.files.length} files` : `${version.row_count} rows`;
  return `v${version.number} · ${contents} · ${made} · ${shortDigest(version.digest)}${latest ? ' (latest)' : ''}`;
}

/** The chosen dataset when the picker does not list it: of another kind, or not in this workspace. */
function unlistedLabel(chosen: number, all: DatasetSummary[]): string {
  const other = all.find((candidate) => candidate.id === chosen);
  if (!other) return `dataset ${chosen} (not in this workspace)`;
  return `${other.name} (${kindOf(other) === 'zip' ? 'a zip bundle' : 'a table'}: not for this module)`;
}

function Problem({ text }: { text: string | undefined }) {
  return text ? <small className="error-text">{text}</small> : null;
}

export function DatasetParameters({ node, dataset, version, readOnly, problemFor }: DatasetParametersProps) {
  const all = useDatasetsStore((state) => state.datasets);
  // Import Data offers table datasets, Zip Dataset zip bundles.
  const datasets = all.filter((candidate) => kindOf(candidate) === datasetKindFor(node.data.module));
  const datasetId = node.data.parameters[dataset.name];
  const chosen = typeof datasetId === 'number' ? datasetId : Number(datasetId) || null;
  const detail = useDatasetsStore((state) => (chosen === null ? undefined : state.details[chosen]));
  const loadDetail = useDatasetsStore((state) => state.loadDetail);
  useEffect(() => {
    if (chosen !== null) void loadDetail(chosen);
  }, [chosen, loadDetail]);
  const pinned = version ? node.data.parameters[version.name] : null;

  // Another dataset pins its latest version: one undoable edit for both parameters.
  const chooseDataset = (value: string) => {
    const picked = datasets.find((candidate) => String(candidate.id) === value);
    useCanvasStore.getState().apply(({ nodes, edges }) => ({
      edges,
      nodes: nodes.map((other) => {
        if (other.id !== node.id) return other;
        const parameters = { ...other.data.parameters, [dataset.name]: picked ? picked.id : null };
        if (version) parameters[version.name] = picked?.latest?.digest ?? null;
        return { ...other, data: { ...other.data, parameters } };
      }),
    }));
  };
  const versions = detail?.versions ?? [];
  const latest = versions[0];
  const known = versions.some((candidate) => candidate.digest === pinned);
  return (
    <>
      <div className={`parameter parameter-dataset${problemFor(dataset.name) ? ' has-problem' : ''}`}>
        <label htmlFor={`parameter-${dataset.name}`}>{dataset.label}</label>
        <select
          id={`parameter-${dataset.name}`}
          name={dataset.name}
          value={chosen ?? ''}
          disabled={readOnly}
          onChange={(event) => chooseDataset(event.target.value)}
        >
          <option value="">—</option>
          {chosen !== null && !datasets.some((candidate) => candidate.id === chosen) && (
            <option value={chosen}>{unlistedLabel(chosen, all)}</option>
          )}
          {datasets.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </select>
        {dataset.description && <small className="parameter-description">{dataset.description}</small>}
        <Problem text={problemFor(dataset.name)} />
      </div>
      {version && (
        <div className={`parameter parameter-dataset_version${problemFor(version.name) ? ' has-problem' : ''}`}>
          <label htmlFor={`parameter-${version.name}`}>{version.label}</label>
          <select
            id={`parameter-${version.name}`}
            name={version.name}
            value={typeof pinned === 'string' ? pinned : ''}
            disabled={readOnly || chosen === null}
            onChange={(event) =>
              useCanvasStore.getState().setParameter(node.id, version.name, event.target.value || null)
            }
          >
            <option value="">—</option>
            {typeof pinned === 'string' && pinned && !known && <option value={pinned}>{shortDigest(pinned)}…</option>}
            {versions.map((candidate) => (
              <option key={candidate.digest} value={candidate.digest}>
                {versionLabel(candidate, candidate === latest)}
              </option>
            ))}
          </select>
          {latest && known && pinned !== latest.digest && (
            <small className="parameter-description" data-testid="newer-version">
              A newer version exists: v{latest.number}.
            </small>
          )}
          {version.description && <small className="parameter-description">{version.description}</small>}
          <Problem text={problemFor(version.name)} />
        </div>
      )}
    </>
  );
}

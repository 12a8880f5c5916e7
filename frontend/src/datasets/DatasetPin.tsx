/** On a node that reads a workspace dataset: which one, and which version it pins. */
import type { ModuleSpec, ParameterValue } from '../api/types';
import { useDatasetsStore } from './datasetsStore';
import { shortDigest } from './types';

export function DatasetPin({ spec, parameters }: { spec: ModuleSpec; parameters: Record<string, ParameterValue> }) {
  const datasetParameter = spec.parameters.find((parameter) => parameter.kind === 'dataset');
  const versionParameter = spec.parameters.find((parameter) => parameter.kind === 'dataset_version');
  const datasetId = datasetParameter ? Number(parameters[datasetParameter.name]) : NaN;
  const dataset = useDatasetsStore((state) => state.datasets.find((candidate) => candidate.id === datasetId));
  const detail = useDatasetsStore((state) => state.details[datasetId]);
  if (!datasetParameter || !dataset || parameters.source === 'url') return null;
  const digest = versionParameter ? parameters[versionParameter.name] : null;
  if (typeof digest !== 'string' || !digest) return null;
  const number = (detail?.versions ?? (dataset.latest ? [dataset.latest] : [])).find(
    (v) => v.digest === digest,
  )?.number;
  const latest = dataset.latest?.digest === digest;
  return (
    <div className="node-dataset" data-testid="node-dataset" title={digest}>
      {dataset.name} {number ? `v${number}` : shortDigest(digest)}
      {latest ? ' (latest)' : ''}
    </div>
  );
}

/** A value of a dataset parameter: a version of one of the workspace's datasets, by its digest. */
import { useEffect } from 'react';
import { useDatasetsStore } from '../datasets/datasetsStore';

interface DatasetVersionInputProps {
  id: string;
  value: string;
  onChange: (digest: string) => void;
}

export function DatasetVersionInput({ id, value, onChange }: DatasetVersionInputProps) {
  const datasets = useDatasetsStore((state) => state.datasets);
  const details = useDatasetsStore((state) => state.details);
  const loadDetail = useDatasetsStore((state) => state.loadDetail);
  useEffect(() => {
    for (const dataset of datasets) void loadDetail(dataset.id);
  }, [datasets, loadDetail]);
  const choices = datasets.flatMap((dataset) =>
    (details[dataset.id]?.versions ?? (dataset.latest ? [dataset.latest] : [])).map((version) => ({
      digest: version.digest,
      label: `${dataset.name} v${version.number}${version.digest === dataset.latest?.digest ? ' (latest)' : ''}`,
    })),
  );
  const known = choices.some((choice) => choice.digest === value);
  return (
    <select id={id} data-testid={id} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">—</option>
      {value && !known && <option value={value}>{value.slice(0, 12)}… (not in this workspace)</option>}
      {choices.map((choice) => (
        <option key={choice.digest} value={choice.digest}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}

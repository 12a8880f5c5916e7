/** A workspace's datasets: upload new ones, and for each its versions, a preview with column statistics, downloads.
 * A zip dataset (helper code for Execute Python Script) lists its files instead. */
import { useState } from 'react';
import { useFetched } from '../api/useFetched';
import { useWorkspace } from '../pages/useWorkspace';
import { Link, navigate } from '../router';
import { PreviewTable } from '../run/OutputPreview';
import { TableDownloads } from '../run/TableDownloads';
import { AppHeader } from '../ui/AppHeader';
import { WorkspaceSubpageTrail } from '../pages/WorkspaceSubpageTrail';
import {
  type DatasetDetail,
  type DatasetSummary,
  type ArchiveFile,
  type DatasetVersion,
  shortDigest,
  type UploadedVersion,
  type VersionPreview as Preview,
} from './types';
import { UploadForm } from './UploadForm';

function when(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

function DatasetList({
  datasets,
  workspaceId,
  selected,
}: {
  datasets: DatasetSummary[];
  workspaceId: number;
  selected: number | null;
}) {
  if (datasets.length === 0) return <p className="muted">No datasets yet.</p>;
  return (
    <table className="list-table" data-testid="dataset-list">
      <thead>
        <tr>
          <th>Dataset</th>
          <th>Latest version</th>
          <th>Rows</th>
          <th>Columns / files</th>
        </tr>
      </thead>
      <tbody>
        {datasets.map((dataset) => (
          <tr key={dataset.id} className={dataset.id === selected ? 'is-selected' : ''}>
            <td>
              <Link to={`/workspaces/${workspaceId}/datasets/${dataset.id}/`}>{dataset.name}</Link>
            </td>
            <td>{dataset.latest ? `v${dataset.latest.number}` : '—'}</td>
            <td>{dataset.latest?.kind === 'zip' ? 'zip bundle' : (dataset.latest?.row_count ?? '')}</td>
            <td>
              {dataset.latest?.kind === 'zip'
                ? `${dataset.latest.files.length} files`
                : (dataset.latest?.columns.length ?? '')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function origin(version: DatasetVersion): string {
  if (version.exported_by) return `exported by run ${version.exported_by.run}, node ${version.exported_by.node}`;
  return version.file_name ? `${version.file_name} (${version.file_format})` : '';
}

function ArchiveFiles({ files }: { files: ArchiveFile[] }) {
  return (
    <table className="list-table" data-testid="archive-files">
      <thead>
        <tr>
          <th>File ({files.length})</th>
          <th>Bytes</th>
        </tr>
      </thead>
      <tbody>
        {files.map((file) => (
          <tr key={file.name}>
            <td>
              <code>{file.name}</code>
            </td>
            <td>{file.size}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VersionPreview({ datasetId, version }: { datasetId: number; version: DatasetVersion }) {
  const base = `/api/datasets/${datasetId}/versions/${version.digest}`;
  const preview = useFetched<Preview>(`${base}/preview/`);
  return (
    <section className="card" data-testid="version-preview">
      <h3>Version {version.number}</h3>
      <p className="muted">
        Content digest <code>{version.digest}</code>
      </p>
      {version.kind !== 'zip' && <TableDownloads base={`${base}/download`} />}
      {preview.state === 'loading' && <p className="muted">Loading preview…</p>}
      {preview.state === 'error' && <p className="error-text">{preview.message}</p>}
      {preview.state === 'ready' && preview.value.kind === 'table' && (
        <PreviewTable preview={preview.value} statisticsFirst />
      )}
      {preview.state === 'ready' && preview.value.kind === 'files' && <ArchiveFiles files={preview.value.files} />}
    </section>
  );
}

function DatasetPanel({
  datasetId,
  canUpload,
  onChanged,
}: {
  datasetId: number;
  canUpload: boolean;
  onChanged: () => void;
}) {
  const [refresh, setRefresh] = useState(0);
  const [chosen, setChosen] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const detail = useFetched<DatasetDetail>(`/api/datasets/${datasetId}/`, refresh);
  if (detail.state === 'loading') return <p className="muted">Loading dataset…</p>;
  if (detail.state === 'error') return <p className="error-text">{detail.message}</p>;
  const dataset = detail.value;
  const shown = dataset.versions.find((version) => version.digest === chosen) ?? dataset.versions[0];
  const uploaded = (answer: unknown) => {
    const version = answer as UploadedVersion;
    setNotice(
      version.created
        ? `New version v${version.number}.`
        : `This ${version.kind === 'zip' ? 'zip' : 'table'} already is version v${version.number}.`,
    );
    setChosen(version.digest);
    setRefresh(refresh + 1);
    onChanged();
  };
  return (
    <div className="dataset-panel" data-testid="dataset-panel">
      <h2>{dataset.name}</h2>
      {dataset.description && <p className="muted">{dataset.description}</p>}
      {canUpload && (
        <UploadForm
          url={`/api/datasets/${datasetId}/versions/`}
          named={false}
          submitLabel="Upload new version"
          onUploaded={uploaded}
          testId="new-version-form"
        />
      )}
      {notice && <p data-testid="upload-notice">{notice}</p>}
      <table className="list-table" data-testid="version-list">
        <thead>
          <tr>
            <th>Version</th>
            <th>Digest</th>
            <th>Rows / files</th>
            <th>From</th>
            <th>By</th>
            <th>When</th>
          </tr>
        </thead>
        <tbody>
          {dataset.versions.map((version) => (
            <tr key={version.digest} className={version === shown ? 'is-selected' : ''}>
              <td>
                <button type="button" className="link-button" onClick={() => setChosen(version.digest)}>
                  v{version.number}
                </button>
              </td>
              <td>
                <code title={version.digest}>{shortDigest(version.digest)}</code>
              </td>
              <td>{version.kind === 'zip' ? `${version.files.length} files` : version.row_count}</td>
              <td>{origin(version)}</td>
              <td>{version.created_by ?? ''}</td>
              <td>{when(version.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown && <VersionPreview key={shown.digest} datasetId={datasetId} version={shown} />}
    </div>
  );
}

export function DatasetsPage({ workspaceId, datasetId }: { workspaceId: number; datasetId: number | null }) {
  const workspace = useWorkspace(workspaceId);
  const [refresh, setRefresh] = useState(0);
  const datasets = useFetched<DatasetSummary[]>(`/api/workspaces/${workspaceId}/datasets/`, refresh);
  const canUpload = workspace !== undefined && workspace.role !== 'reader';
  const created = (answer: unknown) => {
    setRefresh(refresh + 1);
    navigate(`/workspaces/${workspaceId}/datasets/${(answer as DatasetDetail).id}/`);
  };
  return (
    <div className="page page-list">
      <AppHeader trail={<WorkspaceSubpageTrail workspaceId={workspaceId} workspace={workspace} page="Datasets" />} />
      <main className="content">
        <h1>Datasets</h1>
        {canUpload && (
          <UploadForm
            url={`/api/workspaces/${workspaceId}/datasets/`}
            named
            submitLabel="Upload dataset"
            onUploaded={created}
            testId="new-dataset-form"
          />
        )}
        <section className="card">
          {datasets.state === 'loading' && <p className="muted">Loading…</p>}
          {datasets.state === 'error' && <p className="error-text">{datasets.message}</p>}
          {datasets.state === 'ready' && (
            <DatasetList datasets={datasets.value} workspaceId={workspaceId} selected={datasetId} />
          )}
        </section>
        {datasetId !== null && (
          <DatasetPanel
            key={datasetId}
            datasetId={datasetId}
            canUpload={canUpload}
            onChanged={() => setRefresh(refresh + 1)}
          />
        )}
      </main>
    </div>
  );
}

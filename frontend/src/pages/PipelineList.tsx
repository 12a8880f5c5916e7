/** A table of pipelines linking to their canvases. */
import type { PipelineSummary } from '../api/types';
import { Link } from '../router';

function when(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

export function PipelineList({ pipelines }: { pipelines: PipelineSummary[] }) {
  if (pipelines.length === 0) return <p className="muted">No pipelines yet.</p>;
  return (
    <table className="list-table">
      <thead>
        <tr>
          <th>Pipeline</th>
          <th>Latest version</th>
          <th>Updated</th>
        </tr>
      </thead>
      <tbody>
        {pipelines.map((pipeline) => (
          <tr key={pipeline.id}>
            <td>
              <Link to={`/pipelines/${pipeline.id}/`}>{pipeline.name}</Link>
            </td>
            <td>{pipeline.latest_version ?? '—'}</td>
            <td>{when(pipeline.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

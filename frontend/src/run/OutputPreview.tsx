/** One output port, shown as what it is: the first rows of a table, a model's settings, metrics and charts. */
import { useState } from 'react';
import type { OutputPreview as Preview } from '../api/types';
import { useFetched } from '../api/useFetched';
import { ColumnStatisticsTable } from './ColumnStatistics';
import { TableDownloads } from './TableDownloads';
import { EvaluationPreview } from './EvaluationPreview';
import { ObjectPreview } from './ObjectPreview';
import { isScoreTable, ScoreBars } from './ScoreBars';

/** A table's first rows, or its column statistics (shown first when `statisticsFirst`). */
export function PreviewTable({
  preview,
  statisticsFirst = false,
}: {
  preview: Extract<Preview, { kind: 'table' }>;
  statisticsFirst?: boolean;
}) {
  const [showStatistics, setShowStatistics] = useState(statisticsFirst && preview.statistics !== undefined);
  return (
    <>
      <p className="muted">
        {preview.row_count} rows × {preview.columns.length} columns
        {preview.row_count > preview.rows.length && !showStatistics ? ` (first ${preview.rows.length} shown)` : ''}
        {preview.statistics && (
          <button
            type="button"
            className="link-button"
            data-testid="toggle-statistics"
            onClick={() => setShowStatistics(!showStatistics)}
          >
            {showStatistics ? 'Show rows' : 'Show column statistics'}
          </button>
        )}
      </p>
      {isScoreTable(preview.columns) && !showStatistics && <ScoreBars rows={preview.rows} />}
      {showStatistics && preview.statistics ? (
        <ColumnStatisticsTable statistics={preview.statistics} />
      ) : (
        <RowsTable preview={preview} />
      )}
    </>
  );
}

function RowsTable({ preview }: { preview: Extract<Preview, { kind: 'table' }> }) {
  return (
    <>
      <div className="preview-scroll">
        <table className="preview-table" data-testid="preview-table">
          <thead>
            <tr>
              {preview.columns.map((column) => (
                <th key={column.name}>
                  {column.name}
                  <span className="column-type">{column.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, rowIndex) => (
              <tr key={rowIndex}>
                {row.map((cell, cellIndex) => (
                  <td key={cellIndex}>{cell === null ? '' : String(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function OutputPreview({ runId, node, port }: { runId: number; node: string; port: string }) {
  const preview = useFetched<Preview>(`/api/runs/${runId}/steps/${node}/outputs/${port}/preview/`);
  if (preview.state === 'loading') return <p className="muted">Loading preview…</p>;
  if (preview.state === 'error') return <p className="error-text">{preview.message}</p>;
  const value = preview.value;
  switch (value.kind) {
    case 'table':
      return (
        <>
          <TableDownloads base={`/api/runs/${runId}/steps/${node}/outputs/${port}/download`} />
          <PreviewTable preview={value} />
        </>
      );
    case 'text':
      return <pre data-testid="preview-text">{value.text}</pre>;
    case 'object':
      return <ObjectPreview preview={value} />;
    case 'metrics':
      return <EvaluationPreview preview={value} />;
    case 'released':
      return (
        <p className="muted" data-testid="preview-released">
          {value.message}
        </p>
      );
    default:
      return <pre data-testid="preview-json">{JSON.stringify(value.value, null, 2)}</pre>;
  }
}

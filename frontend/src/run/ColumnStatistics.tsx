/** Per-column statistics of a table output: missing, distinct, spread, and a histogram of numbers. */
import type { ColumnStatistics } from '../api/types';

const BAR_WIDTH = 8;
const BAR_HEIGHT = 24;

function Histogram({ counts }: { counts: number[] }) {
  const highest = Math.max(...counts, 1);
  return (
    <svg width={counts.length * BAR_WIDTH} height={BAR_HEIGHT} role="img" aria-label="histogram">
      {counts.map((count, index) => {
        const height = (count / highest) * BAR_HEIGHT;
        return (
          <rect
            key={index}
            x={index * BAR_WIDTH}
            y={BAR_HEIGHT - height}
            width={BAR_WIDTH - 1}
            height={height}
            className="histogram-bar"
          >
            <title>{count}</title>
          </rect>
        );
      })}
    </svg>
  );
}

function number(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return Math.abs(value) >= 1e5 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(3)
    : String(+value.toFixed(4));
}

export function ColumnStatisticsTable({ statistics }: { statistics: ColumnStatistics[] }) {
  return (
    <div className="preview-scroll">
      <table className="preview-table" data-testid="column-statistics">
        <thead>
          <tr>
            {['Column', 'Type', 'Missing', 'Unique', 'Mean', 'Std', 'Min', 'Max', 'Histogram'].map((title) => (
              <th key={title}>{title}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {statistics.map((column) => (
            <tr key={column.name}>
              <th scope="row">{column.name}</th>
              <td>{column.type}</td>
              <td>{column.missing}</td>
              <td>{column.unique}</td>
              <td>{number(column.mean)}</td>
              <td>{number(column.std)}</td>
              <td>{number(column.min)}</td>
              <td>{number(column.max)}</td>
              <td>{column.histogram && <Histogram counts={column.histogram} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Run A and run B in columns: their facts, their metrics (one block per source, node and group,
 * the better value starred), what changed in their parameters, and steps that ended differently. */
import type { ReactNode } from 'react';
import { DiffChanges } from './DiffPanel';
import { describeOptions, formatDuration, formatMetric, formatValue, formatWhen } from './format';
import type { MetricRow, RunComparison, RunListItem } from './types';

const SOURCE_LABELS: Record<string, string> = { evaluation: 'Evaluation', logged: 'Logged' };

function metricLabel(name: string): string {
  const spaced = name.replace(/_/g, ' ');
  return name === 'auc' ? 'AUC' : spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Rows grouped under "Evaluation · evaluate · scored dataset", in the order the server sent them. */
export function metricBlocks(rows: MetricRow[]): [string, MetricRow[]][] {
  const blocks = new Map<string, MetricRow[]>();
  for (const row of rows) {
    const title = [SOURCE_LABELS[row.source] ?? row.source, row.node, row.group].filter(Boolean).join(' · ');
    blocks.set(title, [...(blocks.get(title) ?? []), row]);
  }
  return [...blocks];
}

function Cell({ row, side }: { row: MetricRow; side: 'a' | 'b' }) {
  const better = row.better === side;
  const hint = row.direction === 'lower' ? 'lower is better' : 'higher is better';
  return (
    <td className={better ? 'is-better' : ''} title={better ? `better (${hint})` : undefined} data-better={better}>
      {formatMetric(row[side])}
      {better && <span aria-label="better"> ★</span>}
    </td>
  );
}

function Columns({ comparison, children }: { comparison: RunComparison; children: ReactNode }) {
  return (
    <table className="preview-table comparison-table">
      <thead>
        <tr>
          <th />
          <th>Run #{comparison.a.number}</th>
          <th>Run #{comparison.b.number}</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

const FACTS: [string, (run: RunListItem) => string][] = [
  ['Status', (run) => run.status],
  ['Version', (run) => String(run.version)],
  ['Started by', (run) => run.created_by ?? '—'],
  ['Started', (run) => formatWhen(run.created_at)],
  ['Duration', (run) => formatDuration(run.duration_seconds)],
  ['Options', (run) => describeOptions(run.options) || '—'],
];

export function ComparisonTable({ comparison }: { comparison: RunComparison }) {
  const differing = comparison.steps.filter((step) => step.a !== step.b);
  return (
    <div className="comparison" data-testid="run-comparison">
      <Columns comparison={comparison}>
        {FACTS.map(([label, fact]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{fact(comparison.a)}</td>
            <td>{fact(comparison.b)}</td>
          </tr>
        ))}
      </Columns>
      <h3>Metrics</h3>
      {comparison.metrics.length === 0 && <p className="muted">Neither run has evaluation metrics.</p>}
      {metricBlocks(comparison.metrics).map(([title, rows]) => (
        <section key={title} className="metric-block" data-testid="metric-block">
          <h4>{title}</h4>
          <Columns comparison={comparison}>
            {rows.map((row) => (
              <tr key={row.name} data-testid={`metric-${row.node}-${row.name}`}>
                <th scope="row">{metricLabel(row.name)}</th>
                <Cell row={row} side="a" />
                <Cell row={row} side="b" />
              </tr>
            ))}
          </Columns>
        </section>
      ))}
      {(comparison.parameters ?? []).length > 0 && (
        <>
          <h3>Pipeline parameters</h3>
          <Columns comparison={comparison}>
            {(comparison.parameters ?? []).map((row) => (
              <tr key={row.name} data-testid={`run-parameter-${row.name}`} className={row.changed ? 'is-changed' : ''}>
                <th scope="row">{row.name}</th>
                <td>{formatValue(row.a)}</td>
                <td>{formatValue(row.b)}</td>
              </tr>
            ))}
          </Columns>
        </>
      )}
      <h3>Parameters</h3>
      <DiffChanges diff={comparison.diff} />
      {differing.length > 0 && (
        <>
          <h3>Steps whose status differs</h3>
          <Columns comparison={comparison}>
            {differing.map((step) => (
              <tr key={step.node}>
                <th scope="row">{step.node}</th>
                <td>{step.a ?? 'not run'}</td>
                <td>{step.b ?? 'not run'}</td>
              </tr>
            ))}
          </Columns>
        </>
      )}
    </div>
  );
}

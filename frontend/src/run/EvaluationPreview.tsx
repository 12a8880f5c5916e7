/** Evaluate Model's results: metrics side by side, the confusion matrix, ROC and precision-recall curves. */
import type { Curve, Evaluation, OutputPreview } from '../api/types';

type Metrics = Extract<OutputPreview, { kind: 'metrics' }>;

const CHART_SIZE = 220;
// Custom properties (see theme/themes.css), so each theme draws the curves in colours it can show.
const CURVE_COLOURS = ['var(--curve-1)', 'var(--curve-2)'];

function numericMetrics(evaluation: Evaluation): [string, number][] {
  return Object.entries(evaluation).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && entry[0] !== 'rows',
  );
}

function label(name: string): string {
  const spaced = name.replace(/_/g, ' ');
  return name === 'auc' ? 'AUC' : spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function MetricsTable({ evaluations }: { evaluations: Evaluation[] }) {
  const names = numericMetrics(evaluations[0] as Evaluation).map(([name]) => name);
  return (
    <table className="preview-table" data-testid="metrics-table">
      <thead>
        <tr>
          <th>Metric</th>
          {evaluations.map((_, index) => (
            <th key={index}>{evaluations.length > 1 ? `Scored dataset ${index + 1}` : 'Value'}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name}>
            <th scope="row">{label(name)}</th>
            {evaluations.map((evaluation, index) => {
              const value = evaluation[name];
              return <td key={index}>{typeof value === 'number' ? value.toFixed(4) : ''}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ConfusionMatrix({ matrix }: { matrix: NonNullable<Evaluation['confusion_matrix']> }) {
  return (
    <table className="preview-table confusion-matrix" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th>actual \ predicted</th>
          {matrix.labels.map((name) => (
            <th key={String(name)}>{String(name)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.counts.map((row, rowIndex) => (
          <tr key={rowIndex}>
            <th scope="row">{String(matrix.labels[rowIndex])}</th>
            {row.map((count, index) => (
              <td key={index}>{count}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function points(curve: Curve): string {
  return curve.x.map((x, index) => `${x * CHART_SIZE},${(1 - (curve.y[index] ?? 0)) * CHART_SIZE}`).join(' ');
}

function CurveChart({ title, curves, testId }: { title: string; curves: (Curve | undefined)[]; testId: string }) {
  return (
    <figure className="curve-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`-4 -4 ${CHART_SIZE + 8} ${CHART_SIZE + 8}`} width={CHART_SIZE} height={CHART_SIZE} role="img">
        <rect x={0} y={0} width={CHART_SIZE} height={CHART_SIZE} className="chart-frame" />
        <line x1={0} y1={CHART_SIZE} x2={CHART_SIZE} y2={0} className="chart-diagonal" />
        {curves.map(
          (curve, index) =>
            curve && (
              <polyline
                key={index}
                points={points(curve)}
                fill="none"
                style={{ stroke: CURVE_COLOURS[index] }}
                strokeWidth={2}
              />
            ),
        )}
      </svg>
    </figure>
  );
}

export function EvaluationPreview({ preview }: { preview: Metrics }) {
  const [first] = preview.evaluations;
  if (!first) return <p className="muted">No evaluation.</p>;
  return (
    <div className="evaluation" data-testid="preview-evaluation">
      <p className="muted">
        {first.task || 'regression'} · label {first.label} · {first.rows} rows
      </p>
      <MetricsTable evaluations={preview.evaluations} />
      {first.roc_curve && (
        <div className="charts">
          <CurveChart title="ROC curve" testId="roc-chart" curves={preview.evaluations.map((e) => e.roc_curve)} />
          <CurveChart
            title="Precision-recall curve"
            testId="pr-chart"
            curves={preview.evaluations.map((e) => e.precision_recall_curve)}
          />
        </div>
      )}
      {first.confusion_matrix && <ConfusionMatrix matrix={first.confusion_matrix} />}
    </div>
  );
}

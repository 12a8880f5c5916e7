/** The node panel's Metrics view: what the step logged (log_metric, log_table, log_image), live while it runs. */
import type { LoggedAttachment, LoggedMetric, OutputPreview, StepLogged } from '../api/types';
import { useFetched } from '../api/useFetched';
import { PreviewTable } from './OutputPreview';
import { useNodeReports } from './reportStore';

export interface MetricSeries {
  name: string;
  latest: LoggedMetric;
  /** The values logged with a `step`, in step order (a series when there are two or more). */
  points: { step: number; value: number }[];
  count: number;
}

/** Metrics grouped by name, in the order first logged. */
export function metricSeries(metrics: LoggedMetric[]): MetricSeries[] {
  const byName = new Map<string, LoggedMetric[]>();
  for (const metric of metrics) byName.set(metric.name, [...(byName.get(metric.name) ?? []), metric]);
  return [...byName.entries()].map(([name, logged]) => ({
    name,
    latest: logged[logged.length - 1] as LoggedMetric,
    points: logged
      .filter((metric) => metric.step !== null)
      .map((metric) => ({ step: metric.step as number, value: metric.value }))
      .sort((a, b) => a.step - b.step),
    count: logged.length,
  }));
}

const CHART_WIDTH = 240;
const CHART_HEIGHT = 60;

function LineChart({ series }: { series: MetricSeries }) {
  const steps = series.points.map((point) => point.step);
  const values = series.points.map((point) => point.value);
  const [minStep, maxStep] = [Math.min(...steps), Math.max(...steps)];
  const [minValue, maxValue] = [Math.min(...values), Math.max(...values)];
  const x = (step: number) => (maxStep === minStep ? 0 : ((step - minStep) / (maxStep - minStep)) * CHART_WIDTH);
  const y = (value: number) =>
    maxValue === minValue
      ? CHART_HEIGHT / 2
      : CHART_HEIGHT - ((value - minValue) / (maxValue - minValue)) * CHART_HEIGHT;
  const line = series.points.map((point) => `${x(point.step).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ');
  return (
    <svg
      className="metric-chart"
      data-testid={`metric-chart-${series.name}`}
      viewBox={`-2 -2 ${CHART_WIDTH + 4} ${CHART_HEIGHT + 4}`}
      width={CHART_WIDTH}
      height={CHART_HEIGHT}
      role="img"
      aria-label={`${series.name} over ${series.points.length} steps, from ${values[0]} to ${values[values.length - 1]}`}
    >
      <polyline points={line} fill="none" stroke="currentColor" strokeWidth={1.5} />
    </svg>
  );
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function MetricsTable({ metrics }: { metrics: LoggedMetric[] }) {
  return (
    <table className="metrics-table" data-testid="metrics-table">
      <thead>
        <tr>
          <th>Metric</th>
          <th>Value</th>
          <th>Logged</th>
        </tr>
      </thead>
      <tbody>
        {metricSeries(metrics).map((series) => (
          <tr key={series.name} data-testid={`metric-${series.name}`}>
            <td>{series.name}</td>
            <td>
              {formatValue(series.latest.value)}
              {series.latest.step !== null && <span className="muted"> (step {series.latest.step})</span>}
              {series.points.length > 1 && <LineChart series={series} />}
            </td>
            <td className="muted">{series.count > 1 ? `${series.count} values` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LoggedTable({ url, attachment }: { url: string; attachment: LoggedAttachment }) {
  const preview = useFetched<OutputPreview>(url);
  if (preview.state === 'loading') return <p className="muted">Loading {attachment.name}…</p>;
  if (preview.state === 'error') return <p className="error-text">{preview.message}</p>;
  return preview.value.kind === 'table' ? <PreviewTable preview={preview.value} /> : null;
}

function Attachment({ base, attachment }: { base: string; attachment: LoggedAttachment }) {
  if (attachment.id === null) return null;
  const url = `${base}/logged/${attachment.id}/`;
  return (
    <figure className="logged-attachment" data-testid={`logged-${attachment.kind}`}>
      <figcaption>{attachment.name}</figcaption>
      {attachment.kind === 'image' ? (
        <img src={`${url}?raw=1`} alt={attachment.name} />
      ) : (
        <LoggedTable url={url} attachment={attachment} />
      )}
    </figure>
  );
}

export function StepMetrics({ runId, node, status }: { runId: number; node: string; status: string }) {
  const reports = useNodeReports(runId, node);
  const logged = useFetched<{ steps: StepLogged[] }>(
    `/api/runs/${runId}/metrics/`,
    `${status}:${reports.metricsVersion}`,
  );
  if (logged.state === 'loading') return <p className="muted">Loading metrics…</p>;
  if (logged.state === 'error') return <p className="error-text">{logged.message}</p>;
  const mine = logged.value.steps.find((step) => step.node === node);
  if (!mine) return <p className="muted">This step logged no metrics, tables or images.</p>;
  return (
    <div className="step-metrics">
      {mine.metrics.length > 0 && <MetricsTable metrics={mine.metrics} />}
      {mine.attachments.map((attachment, index) => (
        <Attachment
          key={attachment.id ?? `new-${index}`}
          base={`/api/runs/${runId}/steps/${node}`}
          attachment={attachment}
        />
      ))}
    </div>
  );
}

/** What running steps printed and logged, from live "report" events (apart from run status, which runStore keeps). */
import { create } from 'zustand';
import type { StepProgress, StepReport } from '../api/types';

export interface NodeReports {
  attempt: number;
  /** The log as far as known, once the log panel loaded it; undefined: not loaded, or out of step. */
  log?: { text: string; end: number };
  /** Bumped when the log must be fetched again (it was cut, or a report was missed). */
  logVersion: number;
  progress: StepProgress | null;
  /** Bumped when the step logged metrics, tables or images: the metrics view fetches them again. */
  metricsVersion: number;
}

interface ReportState {
  run: number | null;
  nodes: Record<string, NodeReports>;
  receive: (report: StepReport) => void;
  logLoaded: (run: number, node: string, text: string, length: number) => void;
}

const EMPTY: NodeReports = { attempt: 0, logVersion: 0, progress: null, metricsVersion: 0 };

function mergeLog(current: NodeReports, log: NonNullable<StepReport['log']>): NodeReports {
  if ('reset' in log) return { ...current, log: undefined, logVersion: current.logVersion + 1 };
  const known = current.log;
  if (known === undefined) return current; // nobody shows the log yet; it is fetched whole when shown
  if (log.offset === known.end) return { ...current, log: { text: known.text + log.text, end: log.end } };
  if (log.end <= known.end) return current; // already in the log as it was fetched
  return { ...current, log: undefined, logVersion: current.logVersion + 1 }; // a gap: fetch it again
}

/** The node's reports after `report`; a report of a newer attempt starts the node afresh. */
export function applyReport(previous: NodeReports | undefined, report: StepReport): NodeReports {
  let node = previous ?? { ...EMPTY, attempt: report.attempt };
  if (report.attempt < node.attempt) return node;
  if (report.attempt > node.attempt) {
    node = {
      ...EMPTY,
      attempt: report.attempt,
      logVersion: node.logVersion + 1,
      metricsVersion: node.metricsVersion + 1,
    };
  }
  if (report.log) node = mergeLog(node, report.log);
  if (report.progress) node = { ...node, progress: report.progress };
  if (report.metrics || report.metrics_reset || report.attachments) {
    node = { ...node, metricsVersion: node.metricsVersion + 1 };
  }
  return node;
}

export const useReportStore = create<ReportState>()((set) => ({
  run: null,
  nodes: {},
  receive: (report) =>
    set((state) => {
      const nodes = state.run === report.run ? state.nodes : {};
      return { run: report.run, nodes: { ...nodes, [report.node]: applyReport(nodes[report.node], report) } };
    }),
  logLoaded: (run, node, text, length) =>
    set((state) => {
      const nodes = state.run === run ? state.nodes : {};
      const current = nodes[node] ?? EMPTY;
      return { run, nodes: { ...nodes, [node]: { ...current, log: { text, end: length } } } };
    }),
}));

export function useNodeReports(run: number | null, node: string): NodeReports {
  return useReportStore((state) => (state.run === run ? state.nodes[node] : undefined) ?? EMPTY);
}

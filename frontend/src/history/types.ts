/** The shapes of the history API: versions, diffs, the runs list and run comparisons. */
import type { Graph, ParameterValue, Problem, NodeSchemas, RunStatus, StepStatus } from '../api/types';

export type VersionOrigin = 'run' | 'saved' | 'kept';

export interface VersionSummary {
  number: number;
  message: string;
  origin: VersionOrigin;
  created_by: string | null;
  created_at: string;
  /** The run that recorded this version, when a run did. */
  made_by_run: number | null;
  run_count: number;
}

export interface VersionDetail extends VersionSummary {
  graph: Graph;
  problems: Problem[];
  schemas: NodeSchemas;
}

export interface ValueChange {
  name: string;
  old: ParameterValue | Record<string, unknown>;
  new: ParameterValue | Record<string, unknown>;
}

export type NodeDiffStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface NodeDiff {
  node: string;
  status: NodeDiffStatus;
  module: string;
  old_module: string | null;
  old_version: string | null;
  new_version: string | null;
  parameters: ValueChange[];
  settings: ValueChange[];
  moved: boolean;
}

export interface EdgeDiff {
  source: { node: string; port: string };
  target: { node: string; port: string };
  status: 'added' | 'removed' | 'unchanged';
}

export interface GraphDiff {
  nodes: NodeDiff[];
  edges: EdgeDiff[];
  summary: Record<'added' | 'removed' | 'changed' | 'unchanged' | 'edges_added' | 'edges_removed', number>;
}

export type DiffSide = { kind: 'draft'; number: null; revision: number } | ({ kind: 'version' } & VersionSummary);

export interface PipelineDiff extends GraphDiff {
  base: DiffSide & { graph: Graph };
  head: DiffSide & { graph: Graph };
}

export interface RunListItem {
  id: number;
  number: number;
  pipeline: number;
  version: number;
  status: RunStatus;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_seconds: number | null;
  error: string;
  options: Record<string, unknown>;
  keep: boolean;
  /** The values of the pipeline parameters the run used. */
  parameters?: Record<string, unknown>;
}

export interface MetricRow {
  source: string;
  node: string;
  group: string;
  name: string;
  a: number | null;
  b: number | null;
  better: 'a' | 'b' | 'same' | null;
  direction: 'higher' | 'lower' | null;
}

export interface RunComparison {
  a: RunListItem & { graph: Graph };
  b: RunListItem & { graph: Graph };
  diff: GraphDiff;
  steps: { node: string; a: StepStatus | null; b: StepStatus | null }[];
  metrics: MetricRow[];
  /** Each pipeline parameter either run used, with its value in both. */
  parameters?: { name: string; a: unknown; b: unknown; changed: boolean }[];
}

export interface RestoreResult {
  revision: number;
  graph: Graph;
  problems: Problem[];
  kept: VersionSummary | null;
}

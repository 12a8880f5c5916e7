/** The shapes the Trellis REST API sends and takes. */

export type Role = 'owner' | 'contributor' | 'reader';

export interface Me {
  id: number;
  username: string;
}

export interface PortSpec {
  name: string;
  type: string;
  label: string;
  description: string;
  optional: boolean;
}

export type ParameterKind =
  'int' | 'float' | 'string' | 'text' | 'bool' | 'choice' | 'column' | 'columns' | 'dataset' | 'dataset_version';
/** A field value; {$parameter: name} binds the field to a pipeline parameter (parameters/pipelineParameters.ts). */
export type ParameterValue = string | number | boolean | string[] | null | { $parameter: string };

export interface ParameterSpec {
  name: string;
  kind: ParameterKind;
  label: string;
  default: ParameterValue;
  required: boolean;
  minimum: number | null;
  maximum: number | null;
  choices: string[];
  description: string;
  /** For column parameters: the input whose columns it names (null: the first table input). */
  of_input?: string | null;
}

/** The columns a table port will carry, known before running; more may arrive unless complete. */
export interface TableSchema {
  columns: { name: string; type: string }[];
  complete: boolean;
  /** Set when the columns were seen on a step's output in a run, not stated by a module. */
  observed?: { run: number; current: boolean };
}

export type NodeSchemas = Record<
  string,
  { inputs: Record<string, TableSchema | null>; outputs: Record<string, TableSchema | null> }
>;

export interface ModuleSpec {
  name: string;
  version: string;
  display_name: string;
  category: string;
  description: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  parameters: ParameterSpec[];
  deterministic: boolean;
  /** Where the module comes from: built in, a module package, or the workspace's gallery. */
  source?: 'builtin' | 'package' | 'workspace';
  /** Workspace modules: this version's status, why it was set, and the module's default version. */
  status?: VersionStatus;
  status_reason?: string;
  default_version?: string;
  /** The newest active version after this one, if any: "update available". */
  newer_version?: string | null;
  published_by?: string | null;
  published_at?: string;
}

export type VersionStatus = 'active' | 'deprecated' | 'disabled';

export interface GalleryVersion {
  version: string;
  status: VersionStatus;
  status_reason: string;
  status_changed_by: string | null;
  status_changed_at: string | null;
  published_by: string | null;
  published_at: string;
  has_bundle: boolean;
  spec: Record<string, unknown>;
  code?: string;
}

export interface GalleryModule {
  id: number;
  name: string;
  display_name: string;
  category: string;
  description: string;
  default_version: string;
  versions: GalleryVersion[];
}

export interface UpgradeCheck {
  allowed: boolean;
  changes: string[];
  refusals: string[];
  parameters: Record<string, ParameterValue>;
}

export interface PortType {
  name: string;
  label: string;
  accepts: string[];
}

export interface Catalog {
  modules: ModuleSpec[];
  port_types: PortType[];
}

export interface Workspace {
  id: number;
  name: string;
  role: Role;
}

export interface Member {
  username: string;
  role: Role;
}

export interface PipelineSummary {
  id: number;
  name: string;
  workspace: number;
  draft_revision: number;
  latest_version: number | null;
  updated_at: string;
  /** Set while the pipeline is in the workspace's Deleted list. */
  deleted_at?: string | null;
}

export interface Endpoint {
  node: string;
  port: string;
}

export interface GraphNode {
  id: string;
  module: string;
  version: string;
  parameters?: Record<string, ParameterValue>;
  position?: { x: number; y: number };
  [unknownKey: string]: unknown;
}

export interface GraphEdge {
  source: Endpoint;
  target: Endpoint;
  [unknownKey: string]: unknown;
}

export interface Graph {
  format_version: 2;
  nodes: GraphNode[];
  edges: GraphEdge[];
  [unknownKey: string]: unknown;
}

export interface Problem {
  code: string;
  message: string;
  node: string | null;
  port: string | null;
  parameter: string | null;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'canceled';
export type StepStatus = 'pending' | 'queued' | 'running' | 'completed' | 'failed' | 'skipped' | 'cached' | 'canceled';

export interface StepSnapshot {
  node: string;
  module: string;
  version: string;
  status: StepStatus;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  error: string;
  outputs: Record<string, { type: string; digest: string }>;
  /** Why the step ran ("parameter fraction 0.7→0.8", "never run") or where it came from ("cached (from run 3)"). */
  reason?: string;
  cached_from?: { run: number; node: string } | null;
  compute_target?: string;
  /** The worker that ran (or runs) it. */
  worker?: string;
  /** What a queued step waits for besides its turn, e.g. "waiting: no worker for target gpu". */
  waiting?: string;
  /** When the retention rules released the step's outputs; null while they are kept. */
  outputs_released_at?: string | null;
  /** What the step last said of its progress (report_progress), if it did. */
  progress?: StepProgress | null;
}

export interface StepProgress {
  done: number;
  total: number;
}

/** A number a step logged with log_metric; `step` orders a series. */
export interface LoggedMetric {
  name: string;
  value: number;
  step: number | null;
  logged_at: string;
}

/** A table or image a step logged with log_table or log_image. */
export interface LoggedAttachment {
  id: number | null;
  kind: 'table' | 'image';
  name: string;
  rows: number | null;
  logged_at: string;
}

export interface StepLogged {
  node: string;
  metrics: LoggedMetric[];
  attachments: LoggedAttachment[];
}

/** What a running step printed and logged since the last report (not a status change: no `seq`). */
export interface StepReport {
  type: 'report';
  run: number;
  node: string;
  attempt: number;
  /** New log text starting at `offset` of the stored log, or `reset`: fetch the log again. */
  log?: { offset: number; end: number; text: string } | { reset: true };
  progress?: StepProgress;
  metrics?: LoggedMetric[];
  metrics_reset?: boolean;
  attachments?: LoggedAttachment[];
}

export interface RunSnapshot {
  id: number;
  number: number;
  pipeline: number;
  version: number;
  status: RunStatus;
  seq: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string;
  options?: Record<string, unknown>;
  /** The values of the pipeline parameters the run used. */
  parameters?: Record<string, unknown>;
  /** Pinned: the retention rules never release this run's outputs. */
  keep?: boolean;
  steps?: StepSnapshot[];
}

export interface PipelineDetail {
  id: number;
  name: string;
  workspace: number;
  role: Role;
  draft: { graph: Graph; revision: number; problems: Problem[]; schemas?: NodeSchemas };
  latest_version: number | null;
  latest_run: RunSnapshot | null;
}

export interface SaveResult {
  revision: number;
  problems: Problem[];
  schemas?: NodeSchemas;
}

export type RunEvent =
  | {
      type: 'step';
      run: number;
      seq: number;
      node: string;
      status: StepStatus;
      error: string | null;
      reason?: string;
      waiting?: string;
      started_at?: string;
    }
  | { type: 'run'; run: number; seq: number; status: RunStatus; error: string | null };

export interface Curve {
  x: number[];
  y: number[];
}

/** One scored dataset's metrics, as Evaluate Model writes them; which keys depend on the task. */
export interface Evaluation {
  task: 'binary' | 'multiclass' | 'regression' | '';
  label: string;
  rows: number;
  confusion_matrix?: { labels: unknown[]; counts: number[][] };
  roc_curve?: Curve;
  precision_recall_curve?: Curve;
  per_class?: Record<string, unknown>[];
  [metric: string]: unknown;
}

export interface ColumnStatistics {
  name: string;
  type: string;
  missing: number;
  unique: number;
  mean?: number | null;
  std?: number | null;
  min?: number | null;
  max?: number | null;
  histogram?: number[];
}

export type OutputPreview =
  | {
      kind: 'table';
      row_count: number;
      columns: { name: string; type: string }[];
      rows: unknown[][];
      statistics?: ColumnStatistics[];
    }
  | { kind: 'text'; text: string }
  | { kind: 'object'; title: string; properties: Record<string, unknown>; learned?: Record<string, unknown> }
  | { kind: 'metrics'; title: string; evaluations: Evaluation[] }
  | { kind: 'json'; value: unknown }
  /** The retention rules released the output: its bytes are gone, the message says when. */
  | { kind: 'released'; message: string; released_at: string };

export interface WorkerInfo {
  name: string;
  host: string;
  concurrency: number;
  /** Whom its steps run as, and why when that is the worker's own user. */
  steps_run_as: string;
  started_at: string;
  last_seen_at: string;
}

export interface ComputeTarget {
  name: string;
  queue: string;
  description: string;
  default: boolean;
  timeout_seconds: number | null;
  cpu_seconds: number | null;
  memory_mb: number | null;
  workers?: WorkerInfo[];
  worker_command?: string;
}

export interface RetentionRules {
  keep_days: number;
  keep_last: number;
}

/** The rules in force in a workspace: its owner's override (null: the default) over the defaults. */
export interface Retention {
  rules: RetentionRules;
  defaults: RetentionRules;
  override: { keep_days: number | null; keep_last: number | null };
}

export interface WorkspaceStorage {
  bytes: number;
  artifacts: number;
  /** What applying the rules now would release, and the bytes nothing else refers to. */
  releasable: { bytes: number; artifacts: number; runs: number; steps: number };
  retention: Retention;
}

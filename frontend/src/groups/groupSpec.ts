/** What a group looks like to the rest of the canvas: a spec whose ports are its exposed ones
 * (typed by the inner ports they stand for), and one run status summing up its inner steps. */
import type { ModuleSpec, PortSpec, StepStatus } from '../api/types';
import type { ExposedPort, GroupDocument } from './grouping';

type SpecOf = (module: string, version: string) => ModuleSpec | undefined;

function exposedSpec(group: GroupDocument, port: ExposedPort, kind: 'inputs' | 'outputs', specOf: SpecOf): PortSpec {
  const node = group.nodes.find((candidate) => candidate.id === port.node);
  const inner = node ? specOf(node.module, node.version)?.[kind].find((spec) => spec.name === port.port) : undefined;
  return {
    name: port.name,
    type: inner?.type ?? 'any',
    label: port.name,
    description: `${port.node}.${port.port}`,
    optional: inner?.optional ?? false,
  };
}

export function groupSpec(group: GroupDocument, specOf: SpecOf): ModuleSpec {
  return {
    name: 'group',
    version: '',
    display_name: 'Group',
    category: '',
    description: `A sub-pipeline of ${group.nodes.length} module(s).`,
    inputs: group.inputs.map((port) => exposedSpec(group, port, 'inputs', specOf)),
    outputs: group.outputs.map((port) => exposedSpec(group, port, 'outputs', specOf)),
    parameters: [],
    deterministic: true,
  };
}

/** In order of precedence: a group is running while any inner step runs, failed once one failed… */
const PRECEDENCE: StepStatus[] = ['running', 'failed', 'queued', 'pending', 'canceled', 'skipped'];

/** One status for a group from its inner steps': cached only when every one was, completed when
 * all are completed or cached, idle when none has run. */
export function groupStatus(statuses: StepStatus[]): StepStatus | 'idle' {
  if (statuses.length === 0) return 'idle';
  if (statuses.includes('running')) return 'running';
  const started = statuses.some((status) => status === 'completed' || status === 'cached');
  const waiting = statuses.some((status) => status === 'pending' || status === 'queued');
  if (started && waiting && !statuses.includes('failed')) return 'running'; // part-way through
  const first = PRECEDENCE.find((status) => statuses.includes(status));
  if (first) return first;
  return statuses.every((status) => status === 'cached') ? 'cached' : 'completed';
}

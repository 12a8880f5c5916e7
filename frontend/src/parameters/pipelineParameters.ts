/** Pipeline parameters as the canvas edits them: declared in the graph's top-level `parameters`,
 * bound to node fields as {"$parameter": name}. Pure functions, so each edit is one undo step. */
import type { ParameterKind, ParameterValue } from '../api/types';
import type { ModuleNode } from '../canvas/graphFormat';

export type PipelineParameterType = 'int' | 'float' | 'string' | 'choice' | 'dataset';

export const PARAMETER_TYPES: PipelineParameterType[] = ['int', 'float', 'string', 'choice', 'dataset'];

export interface PipelineParameter {
  name: string;
  type: PipelineParameterType;
  default: ParameterValue;
  description?: string;
  options?: string[];
}

export interface ParameterBinding {
  $parameter: string;
}

/** The node field kinds a parameter of each type may be bound to (the server's rule, designer/pipelines/parameters.py). */
const COMPATIBLE: Record<PipelineParameterType, ParameterKind[]> = {
  int: ['int', 'float'],
  float: ['float'],
  string: ['string', 'text', 'column'],
  choice: ['choice', 'string', 'text', 'column'],
  dataset: ['dataset_version'],
};

export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,59}$/;

export function binding(name: string): ParameterBinding {
  return { $parameter: name };
}

/** The pipeline parameter a field value refers to, or null for a plain value. */
export function bindingName(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  const name = (value as Record<string, unknown>).$parameter;
  return keys.length === 1 && typeof name === 'string' ? name : null;
}

const NONE: PipelineParameter[] = []; // one empty list, so store selectors see no change

export function parametersOf(extra: Record<string, unknown>): PipelineParameter[] {
  return Array.isArray(extra.parameters) ? (extra.parameters as PipelineParameter[]) : NONE;
}

/** Can `parameter` be bound to a field of this kind (and, for a choice field, these choices)? */
export function canBind(parameter: PipelineParameter, kind: ParameterKind, choices: string[] = []): boolean {
  if (!COMPATIBLE[parameter.type].includes(kind)) return false;
  return kind !== 'choice' || (parameter.options ?? []).every((option) => choices.includes(option));
}

/** Every bound field of `name`: "node.field". */
export function boundFields(nodes: ModuleNode[], name: string): string[] {
  return nodes.flatMap((node) =>
    Object.entries(node.data.parameters)
      .filter(([, value]) => bindingName(value) === name)
      .map(([field]) => `${node.id}.${field}`),
  );
}

/** Why `candidate` cannot be saved as the parameter at `index` (-1: a new one), or null. */
export function parameterRefusal(
  list: PipelineParameter[],
  candidate: PipelineParameter,
  index: number,
): string | null {
  if (!NAME_PATTERN.test(candidate.name)) return 'A name starts with a letter or _ and has only letters, digits and _.';
  if (list.some((other, at) => at !== index && other.name === candidate.name))
    return `There is already a parameter named ${candidate.name}.`;
  if (candidate.type === 'choice' && (candidate.options ?? []).length === 0)
    return 'A choice needs at least one option.';
  return null;
}

interface Editable {
  nodes: ModuleNode[];
  extra: Record<string, unknown>;
}

function rebind(nodes: ModuleNode[], from: string, to: ParameterValue | ParameterBinding | undefined): ModuleNode[] {
  return nodes.map((node) => {
    const touched = Object.values(node.data.parameters).some((value) => bindingName(value) === from);
    if (!touched) return node;
    const parameters = Object.fromEntries(
      Object.entries(node.data.parameters).map(([field, value]) => [field, bindingName(value) === from ? to : value]),
    ) as ModuleNode['data']['parameters'];
    return { ...node, data: { ...node.data, parameters } };
  });
}

/** Adds (index -1) or replaces the parameter at `index`; a rename carries its bindings along. */
export function saveParameter<T extends Editable>(state: T, parameter: PipelineParameter, index: number): T {
  const list = parametersOf(state.extra);
  const previous = list[index];
  const parameters = index < 0 ? [...list, parameter] : list.map((other, at) => (at === index ? parameter : other));
  const nodes =
    previous && previous.name !== parameter.name
      ? rebind(state.nodes, previous.name, binding(parameter.name))
      : state.nodes;
  return { ...state, nodes, extra: { ...state.extra, parameters } };
}

/** Removes a parameter; with `unbind`, its bound fields get its default as a plain value. */
export function deleteParameter<T extends Editable>(state: T, name: string, unbind: boolean): T {
  const parameter = parametersOf(state.extra).find((candidate) => candidate.name === name);
  if (!parameter) return state;
  const parameters = parametersOf(state.extra).filter((candidate) => candidate.name !== name);
  const { parameters: _old, ...rest } = state.extra;
  const extra = parameters.length > 0 ? { ...rest, parameters } : rest;
  return { ...state, nodes: unbind ? rebind(state.nodes, name, parameter.default) : state.nodes, extra };
}

/** "fraction=0.6, seed=1": a run's values as the runs panel lists them. */
export function describeValues(values: Record<string, unknown> | undefined): string {
  return Object.entries(values ?? {})
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

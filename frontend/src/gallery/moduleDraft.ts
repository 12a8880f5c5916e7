/** The module form's state and the spec JSON it publishes (module.json's shape), both ways. */
import type { GalleryVersion, ParameterKind } from '../api/types';

export interface PortRow {
  name: string;
  type: string;
  optional: boolean;
}

export interface ParameterRow {
  name: string;
  kind: ParameterKind;
  label: string;
  /** As typed; turned into the kind's JSON value when published. */
  defaultText: string;
  /** Comma-separated, for choice parameters. */
  choicesText: string;
}

export interface ModuleDraft {
  name: string;
  display_name: string;
  category: string;
  description: string;
  entry: string;
  inputs: PortRow[];
  outputs: PortRow[];
  parameters: ParameterRow[];
  code: string;
}

export const PARAMETER_KINDS: ParameterKind[] = [
  'int',
  'float',
  'string',
  'text',
  'bool',
  'choice',
  'column',
  'columns',
];

export const STARTER_CODE = `import pandas as pd


def main(dataset):
    # Each input port and each parameter arrives as an argument of the same name.
    # Return the output's value, or a dict by output port name.
    return dataset
`;

export function emptyDraft(): ModuleDraft {
  return {
    name: '',
    display_name: '',
    category: 'Workspace Modules',
    description: '',
    entry: 'main',
    inputs: [{ name: 'dataset', type: 'table', optional: false }],
    outputs: [{ name: 'dataset', type: 'table', optional: false }],
    parameters: [],
    code: STARTER_CODE,
  };
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The JSON value of a typed default; undefined when left empty. */
export function defaultValue(row: ParameterRow): unknown {
  const text = row.defaultText.trim();
  if (text === '') return undefined;
  if (row.kind === 'int' || row.kind === 'float') return Number.isNaN(Number(text)) ? text : Number(text);
  if (row.kind === 'bool') return text === 'true';
  if (row.kind === 'columns') return splitList(text);
  return row.defaultText;
}

export function draftToSpec(draft: ModuleDraft): Record<string, unknown> {
  return {
    name: draft.name.trim(),
    display_name: draft.display_name.trim(),
    category: draft.category.trim(),
    description: draft.description.trim(),
    entry: draft.entry.trim() || 'main',
    inputs: draft.inputs.map(({ name, type, optional }) => ({ name: name.trim(), type, optional })),
    outputs: draft.outputs.map(({ name, type }) => ({ name: name.trim(), type })),
    parameters: draft.parameters.map((row) => {
      const parameter: Record<string, unknown> = { name: row.name.trim(), kind: row.kind };
      if (row.label.trim()) parameter.label = row.label.trim();
      const value = defaultValue(row);
      if (value !== undefined) parameter.default = value;
      if (row.kind === 'choice') parameter.choices = splitList(row.choicesText);
      return parameter;
    }),
  };
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function ports(value: unknown): PortRow[] {
  if (!Array.isArray(value)) return [];
  return value.map((port: Record<string, unknown>) => ({
    name: text(port.name),
    type: text(port.type) || 'table',
    optional: port.optional === true,
  }));
}

/** A form to publish the next version from: this version's spec and code. */
export function draftFromVersion(version: GalleryVersion): ModuleDraft {
  const spec = version.spec;
  const parameters = Array.isArray(spec.parameters) ? (spec.parameters as Record<string, unknown>[]) : [];
  return {
    name: text(spec.name),
    display_name: text(spec.display_name),
    category: text(spec.category),
    description: text(spec.description),
    entry: text(spec.entry) || 'main',
    inputs: ports(spec.inputs),
    outputs: ports(spec.outputs),
    parameters: parameters.map((parameter) => ({
      name: text(parameter.name),
      kind: (text(parameter.kind) || 'string') as ParameterKind,
      label: text(parameter.label),
      defaultText: text(parameter.default),
      choicesText: text(parameter.choices),
    })),
    code: version.code ?? '',
  };
}

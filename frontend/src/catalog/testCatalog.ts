/** A small catalog shaped like the server's, for unit tests. */
import type { ModuleSpec, PortSpec, PortType } from '../api/types';

function port(name: string, type: string, label = name): PortSpec {
  return { name, type, label, description: '', optional: false };
}

function spec(
  name: string,
  display_name: string,
  inputs: PortSpec[],
  outputs: PortSpec[],
  category = 'Test',
): ModuleSpec {
  return {
    name,
    version: '1',
    display_name,
    category,
    description: '',
    inputs,
    outputs,
    parameters: [],
    deterministic: true,
  };
}

export const SAMPLE = spec('sample_dataset', 'Sample Dataset', [], [port('dataset', 'table', 'Dataset')], 'Data Input');
export const SELECT = spec(
  'select_columns',
  'Select Columns',
  [port('dataset', 'table', 'Dataset')],
  [port('dataset', 'table', 'Results')],
);
export const DESCRIBE = spec(
  'describe',
  'Describe',
  [port('dataset', 'table', 'Dataset')],
  [port('summary', 'text', 'Summary')],
);

export const PORT_TYPES: Record<string, PortType> = {
  table: { name: 'table', label: 'Table', accepts: ['table'] },
  text: { name: 'text', label: 'Text', accepts: ['text'] },
};

/** One form field generated from a parameter spec. */
import { type ReactNode, useEffect, useState } from 'react';
import type { ParameterSpec, ParameterValue } from '../api/types';

interface FieldProps {
  spec: ParameterSpec;
  value: ParameterValue;
  readOnly: boolean;
  onChange: (value: ParameterValue) => void;
  /** The columns that will arrive at the input a column parameter names, when known. */
  columns?: string[] | undefined;
}

function fieldId(spec: ParameterSpec): string {
  return `parameter-${spec.name}`;
}

/** Text the person is typing, kept apart from the stored value so "0." or "a," survive a render;
 * replaced only when the stored value changes to something the text does not already mean. */
function useDraftText(stored: string, means: (text: string) => string): [string, (text: string) => void] {
  const [text, setText] = useState(stored);
  useEffect(() => {
    setText((current) => (means(current) === stored ? current : stored));
    // `means` is a pure function of the field kind.
  }, [stored]);
  return [text, setText];
}

function splitColumns(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function parseNumber(text: string, integer: boolean): number | null | undefined {
  if (text.trim() === '') return null;
  const number = Number(text);
  if (Number.isNaN(number) || (integer && !Number.isInteger(number))) return undefined;
  return number;
}

function NumberField({ spec, value, readOnly, onChange }: FieldProps) {
  const integer = spec.kind === 'int';
  const [text, setText] = useDraftText(value === null || value === undefined ? '' : String(value), (current) =>
    String(parseNumber(current, integer) ?? ''),
  );
  const change = (next: string) => {
    setText(next);
    const parsed = parseNumber(next, integer);
    if (parsed !== undefined) onChange(parsed);
  };
  return (
    <input
      id={fieldId(spec)}
      name={spec.name}
      type="number"
      step={integer ? 1 : 'any'}
      min={spec.minimum ?? undefined}
      max={spec.maximum ?? undefined}
      value={text}
      readOnly={readOnly}
      onChange={(event) => change(event.target.value)}
    />
  );
}

function ColumnsField({ spec, value, readOnly, onChange, columns }: FieldProps) {
  const stored = Array.isArray(value) ? value.join(', ') : '';
  const [text, setText] = useDraftText(stored, (current) => splitColumns(current).join(', '));
  const change = (next: string) => {
    setText(next);
    onChange(splitColumns(next));
  };
  const chosen = splitColumns(text);
  const offered = (columns ?? []).filter((name) => !chosen.includes(name));
  return (
    <>
      <input
        id={fieldId(spec)}
        name={spec.name}
        type="text"
        placeholder="column_a, column_b"
        value={text}
        readOnly={readOnly}
        onChange={(event) => change(event.target.value)}
      />
      {!readOnly && offered.length > 0 && (
        <div
          className="column-chips"
          data-testid={`columns-${spec.name}`}
          role="group"
          aria-label="Add an arriving column"
        >
          {offered.map((name) => (
            <button
              key={name}
              type="button"
              className="column-chip"
              onClick={() => change([...chosen, name].join(', '))}
            >
              + {name}
            </button>
          ))}
        </div>
      )}
    </>
  );
}

/** One column: typed, with the columns that will arrive offered as suggestions. */
function ColumnField({ spec, value, readOnly, onChange, columns }: FieldProps) {
  const listId = `${fieldId(spec)}-columns`;
  return (
    <>
      <input
        id={fieldId(spec)}
        name={spec.name}
        type="text"
        list={columns ? listId : undefined}
        value={typeof value === 'string' ? value : ''}
        readOnly={readOnly}
        onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
      />
      {columns && (
        <datalist id={listId} data-testid={`columns-${spec.name}`}>
          {columns.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      )}
    </>
  );
}

function ChoiceField({ spec, value, readOnly, onChange }: FieldProps) {
  return (
    <select
      id={fieldId(spec)}
      name={spec.name}
      value={typeof value === 'string' ? value : ''}
      disabled={readOnly}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
    >
      {!spec.required || value === null ? <option value="">—</option> : null}
      {spec.choices.map((choice) => (
        <option key={choice} value={choice}>
          {choice}
        </option>
      ))}
    </select>
  );
}

function TextField({ spec, value, readOnly, onChange }: FieldProps) {
  return (
    <input
      id={fieldId(spec)}
      name={spec.name}
      type="text"
      value={typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value)}
      readOnly={readOnly}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
    />
  );
}

/** Several lines: CSV data, SQL, code. Monospaced, and Tab stays a way to leave the field. */
function MultilineField({ spec, value, readOnly, onChange }: FieldProps) {
  return (
    <textarea
      id={fieldId(spec)}
      name={spec.name}
      rows={8}
      spellCheck={false}
      className="multiline-field"
      value={typeof value === 'string' ? value : ''}
      readOnly={readOnly}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
    />
  );
}

function BoolField({ spec, value, readOnly, onChange }: FieldProps) {
  return (
    <input
      id={fieldId(spec)}
      name={spec.name}
      type="checkbox"
      checked={value === true}
      disabled={readOnly}
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}

const FIELDS = {
  int: NumberField,
  float: NumberField,
  string: TextField,
  text: MultilineField,
  column: ColumnField,
  columns: ColumnsField,
  choice: ChoiceField,
  bool: BoolField,
  // PropertiesForm draws these two together as a dataset and version picker (datasets/DatasetParameters).
  dataset: TextField,
  dataset_version: TextField,
} as const;

function rangeHint(spec: ParameterSpec): string {
  if (spec.minimum !== null && spec.maximum !== null) return `${spec.minimum} to ${spec.maximum}`;
  if (spec.minimum !== null) return `at least ${spec.minimum}`;
  if (spec.maximum !== null) return `at most ${spec.maximum}`;
  return '';
}

interface BindingSlots {
  /** Drawn instead of the input while the field is bound to a pipeline parameter. */
  bound?: ReactNode;
  /** Drawn under the input: the "bind to pipeline parameter" picker. */
  binder?: ReactNode;
}

export function ParameterField(props: FieldProps & BindingSlots & { problem?: string }) {
  const { spec, problem, bound, binder } = props;
  const Field = FIELDS[spec.kind] ?? TextField;
  const hint = [spec.kind === 'columns' ? 'comma-separated' : '', rangeHint(spec)].filter(Boolean).join(', ');
  return (
    <div className={`parameter parameter-${spec.kind}${problem ? ' has-problem' : ''}`}>
      <label htmlFor={fieldId(spec)}>
        {spec.label}
        {spec.required && (
          <span className="required" aria-hidden="true">
            *
          </span>
        )}
      </label>
      {bound ?? <Field {...props} />}
      {!bound && binder}
      {hint && !bound && <small className="muted">{hint}</small>}
      {spec.description && <small className="parameter-description">{spec.description}</small>}
      {problem && <small className="error-text">{problem}</small>}
    </div>
  );
}

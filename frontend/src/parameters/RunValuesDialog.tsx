/** Asked on Run when the pipeline has parameters: one field per parameter, prefilled with its default. */
import { useState } from 'react';
import type { ParameterValue } from '../api/types';
import { parseValue, valueText } from './ParametersSection';
import type { PipelineParameter } from './pipelineParameters';

interface RunValuesDialogProps {
  parameters: PipelineParameter[];
  onRun: (values: Record<string, ParameterValue>) => void;
  onCancel: () => void;
}

/** The values to send, or the first reason they cannot be sent. */
export function runValues(
  parameters: PipelineParameter[],
  texts: Record<string, string>,
): Record<string, ParameterValue> | string {
  const values: Record<string, ParameterValue> = {};
  for (const parameter of parameters) {
    const value = parseValue(parameter.type, texts[parameter.name] ?? '');
    if (value === undefined)
      return `${parameter.name} must be ${parameter.type === 'int' ? 'a whole number' : 'a number'}.`;
    if (value === null) return `${parameter.name} needs a value.`;
    values[parameter.name] = value;
  }
  return values;
}

function ValueInput({
  parameter,
  text,
  onChange,
}: {
  parameter: PipelineParameter;
  text: string;
  onChange: (text: string) => void;
}) {
  const id = `run-value-${parameter.name}`;
  const input =
    parameter.type === 'choice' ? (
      <select id={id} data-testid={id} value={text} onChange={(event) => onChange(event.target.value)}>
        {(parameter.options ?? []).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    ) : (
      <input
        id={id}
        data-testid={id}
        type={parameter.type === 'int' || parameter.type === 'float' ? 'number' : 'text'}
        step={parameter.type === 'int' ? 1 : 'any'}
        value={text}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  return (
    <div className="parameter">
      <label htmlFor={id}>
        {parameter.name} <span className="muted">({parameter.type})</span>
      </label>
      {input}
      {parameter.description && <small className="parameter-description">{parameter.description}</small>}
    </div>
  );
}

export function RunValuesDialog({ parameters, onRun, onCancel }: RunValuesDialogProps) {
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      parameters.map((parameter) => [
        parameter.name,
        valueText(parameter.default ?? (parameter.type === 'choice' ? (parameter.options?.[0] ?? '') : '')),
      ]),
    ),
  );
  const values = runValues(parameters, texts);
  return (
    <div className="sheet-backdrop" role="presentation" onClick={onCancel}>
      <form
        className="sheet confirm-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Run with these parameters"
        data-testid="run-values-dialog"
        onClick={(event) => event.stopPropagation()}
        onKeyDown={(event) => event.key === 'Escape' && onCancel()}
        onSubmit={(event) => {
          event.preventDefault();
          if (typeof values !== 'string') onRun(values);
        }}
      >
        <h2>Run with these parameters</h2>
        <div className="confirm-body">
          {parameters.map((parameter) => (
            <ValueInput
              key={parameter.name}
              parameter={parameter}
              text={texts[parameter.name] ?? ''}
              onChange={(text) => setTexts((current) => ({ ...current, [parameter.name]: text }))}
            />
          ))}
          {typeof values === 'string' && <small className="error-text">{values}</small>}
        </div>
        <div className="confirm-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            data-testid="run-values-submit"
            disabled={typeof values === 'string'}
          >
            ▶ Run
          </button>
        </div>
      </form>
    </div>
  );
}

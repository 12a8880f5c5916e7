/** The pipeline panel's Parameters section: declare, edit and delete pipeline parameters.
 * Deleting one that fields are bound to asks first, and then unbinds them (they keep its default). */
import { useState } from 'react';
import type { ParameterValue } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { parameterDelete, parameterSave } from './parameterEdits';
import {
  boundFields,
  PARAMETER_TYPES,
  type PipelineParameter,
  type PipelineParameterType,
  parameterRefusal,
  parametersOf,
} from './pipelineParameters';

/** The typed value of what was typed for a parameter of `type`; undefined when it is not one. */
export function parseValue(type: PipelineParameterType, text: string): ParameterValue | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (type === 'int' || type === 'float') {
    const number = Number(trimmed);
    if (Number.isNaN(number) || (type === 'int' && !Number.isInteger(number))) return undefined;
    return number;
  }
  return text;
}

export function valueText(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

interface FormProps {
  initial: PipelineParameter;
  index: number;
  onDone: () => void;
}

function ParameterForm({ initial, index, onDone }: FormProps) {
  const list = useCanvasStore((state) => parametersOf(state.extra));
  const [name, setName] = useState(initial.name);
  const [type, setType] = useState<PipelineParameterType>(initial.type);
  const [defaultText, setDefaultText] = useState(valueText(initial.default));
  const [optionsText, setOptionsText] = useState((initial.options ?? []).join(', '));
  const [description, setDescription] = useState(initial.description ?? '');
  const options = optionsText
    .split(',')
    .map((option) => option.trim())
    .filter(Boolean);
  const parsedDefault = parseValue(type, defaultText);
  const candidate: PipelineParameter = {
    name: name.trim(),
    type,
    default: parsedDefault ?? null,
    ...(description.trim() ? { description: description.trim() } : {}),
    ...(type === 'choice' ? { options } : {}),
  };
  const refusal =
    parameterRefusal(list, candidate, index) ??
    (parsedDefault === undefined ? `The default is not ${type === 'int' ? 'a whole number' : 'a number'}.` : null) ??
    (type === 'choice' && parsedDefault !== null && !options.includes(String(parsedDefault))
      ? 'The default must be one of the options.'
      : null);
  const save = () => {
    if (refusal) return;
    parameterSave(candidate, index);
    onDone();
  };
  return (
    <form
      className="parameter-form"
      data-testid="parameter-form"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label>
        Name
        <input data-testid="parameter-name" value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label>
        Type
        <select
          data-testid="parameter-type"
          value={type}
          onChange={(event) => setType(event.target.value as PipelineParameterType)}
        >
          {PARAMETER_TYPES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
      {type === 'choice' && (
        <label>
          Options (comma-separated)
          <input
            data-testid="parameter-options"
            value={optionsText}
            onChange={(event) => setOptionsText(event.target.value)}
          />
        </label>
      )}
      <label>
        Default
        <input
          data-testid="parameter-default"
          placeholder={type === 'dataset' ? 'dataset version digest' : 'none: every run must give one'}
          value={defaultText}
          onChange={(event) => setDefaultText(event.target.value)}
        />
      </label>
      <label>
        Description
        <input value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>
      {refusal && name.trim() !== '' && <small className="error-text">{refusal}</small>}
      <div className="parameter-form-actions">
        <button type="submit" className="primary" data-testid="parameter-save" disabled={refusal !== null}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DeleteAsk({
  parameter,
  bound,
  onDone,
}: {
  parameter: PipelineParameter;
  bound: string[];
  onDone: () => void;
}) {
  return (
    <div className="parameter-delete-ask" role="alertdialog" data-testid="parameter-delete-ask">
      <p>
        {parameter.name} is bound to {bound.join(', ')}. Deleting it unbinds those fields; they keep{' '}
        {parameter.default === null ? 'no value' : `the value ${valueText(parameter.default)}`}.
      </p>
      <button
        type="button"
        className="danger"
        data-testid="parameter-delete-unbind"
        onClick={() => {
          parameterDelete(parameter.name, true);
          onDone();
        }}
      >
        Unbind and delete
      </button>
      <button type="button" onClick={onDone}>
        Keep it
      </button>
    </div>
  );
}

const NEW_PARAMETER: PipelineParameter = { name: '', type: 'float', default: null };

export function ParametersSection({ readOnly }: { readOnly: boolean }) {
  const parameters = useCanvasStore((state) => parametersOf(state.extra));
  const nodes = useCanvasStore((state) => state.nodes);
  const [editing, setEditing] = useState<number | null>(null); // -1: a new one
  const [deleting, setDeleting] = useState<string | null>(null);
  return (
    <section className="pipeline-parameters" data-testid="pipeline-parameters">
      <h3>Parameters</h3>
      {parameters.length === 0 && editing === null && (
        <p className="muted">No parameters: values set per run and bound to fields of several modules.</p>
      )}
      <ul>
        {parameters.map((parameter, index) => {
          const bound = boundFields(nodes, parameter.name);
          if (editing === index) {
            return (
              <li key={parameter.name}>
                <ParameterForm initial={parameter} index={index} onDone={() => setEditing(null)} />
              </li>
            );
          }
          return (
            <li key={parameter.name} data-testid={`pipeline-parameter-${parameter.name}`}>
              <code>{parameter.name}</code> <span className="muted">{parameter.type}</span>
              {parameter.default !== null && <> = {valueText(parameter.default)}</>}
              {parameter.description && <small className="parameter-description">{parameter.description}</small>}
              <small className="muted" data-testid="parameter-bound">
                {bound.length === 0 ? 'not bound' : `bound to ${bound.join(', ')}`}
              </small>
              {!readOnly && (
                <span className="parameter-actions">
                  <button type="button" className="quiet" onClick={() => setEditing(index)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="quiet"
                    data-testid={`parameter-delete-${parameter.name}`}
                    onClick={() =>
                      bound.length > 0 ? setDeleting(parameter.name) : parameterDelete(parameter.name, false)
                    }
                  >
                    Delete
                  </button>
                </span>
              )}
              {deleting === parameter.name && (
                <DeleteAsk parameter={parameter} bound={bound} onDone={() => setDeleting(null)} />
              )}
            </li>
          );
        })}
      </ul>
      {editing === -1 && <ParameterForm initial={NEW_PARAMETER} index={-1} onDone={() => setEditing(null)} />}
      {!readOnly && editing === null && (
        <button type="button" data-testid="parameter-add" onClick={() => setEditing(-1)}>
          + Parameter
        </button>
      )}
    </section>
  );
}

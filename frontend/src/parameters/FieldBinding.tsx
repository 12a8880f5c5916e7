/** On a module's field: bind it to a pipeline parameter, or show the binding ("= learning_rate") and undo it. */
import type { ParameterSpec } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import type { ModuleNode } from '../canvas/graphFormat';
import { fieldBind, fieldUnbind } from './parameterEdits';
import { bindingName, canBind, parametersOf } from './pipelineParameters';

interface FieldBindingProps {
  node: ModuleNode;
  spec: ParameterSpec;
  readOnly: boolean;
}

/** The field as it reads while bound: read-only, naming the parameter. */
export function BoundField({ node, spec, readOnly }: FieldBindingProps) {
  const name = bindingName(node.data.parameters[spec.name]);
  const parameters = useCanvasStore((state) => parametersOf(state.extra));
  const parameter = parameters.find((candidate) => candidate.name === name);
  return (
    <div className="bound-field" data-testid={`bound-${spec.name}`}>
      <input
        id={`parameter-${spec.name}`}
        name={spec.name}
        type="text"
        readOnly
        value={`= ${name}`}
        title={parameter ? `Takes the value of pipeline parameter ${name}` : `${name} is not declared`}
      />
      {!readOnly && (
        <button
          type="button"
          className="quiet"
          data-testid={`unbind-${spec.name}`}
          onClick={() => fieldUnbind(node.id, spec.name, parameter?.default ?? spec.default)}
        >
          Unbind
        </button>
      )}
    </div>
  );
}

/** "Bind to…": the pipeline parameters whose type fits this field. */
export function BindPicker({ node, spec, readOnly }: FieldBindingProps) {
  const parameters = useCanvasStore((state) => parametersOf(state.extra));
  const fitting = parameters.filter((parameter) => canBind(parameter, spec.kind, spec.choices));
  if (readOnly || fitting.length === 0) return null;
  return (
    <select
      className="bind-picker"
      aria-label={`Bind ${spec.label} to a pipeline parameter`}
      data-testid={`bind-${spec.name}`}
      value=""
      onChange={(event) => event.target.value && fieldBind(node.id, spec.name, event.target.value)}
    >
      <option value="">Bind to pipeline parameter…</option>
      {fitting.map((parameter) => (
        <option key={parameter.name} value={parameter.name}>
          {parameter.name} ({parameter.type})
        </option>
      ))}
    </select>
  );
}

/** The parameters of the selected node, as a form generated from its spec. */
import { Fragment } from 'react';
import type { ModuleSpec, ParameterSpec, Problem } from '../api/types';
import { DatasetParameters } from '../datasets/DatasetParameters';
import { BindPicker, BoundField } from '../parameters/FieldBinding';
import { bindingName } from '../parameters/pipelineParameters';
import { useCanvasStore } from './canvasStore';
import { useTargetStore } from './computeTargets';
import type { ModuleNode } from './graphFormat';
import { observedHint } from './observedSchema';
import { ParameterField } from './ParameterField';

interface PropertiesFormProps {
  node: ModuleNode;
  spec: ModuleSpec;
  problems: Problem[];
  readOnly: boolean;
}

/** The input whose columns a column parameter names: its own, or the module's first table input. */
function columnInput(spec: ModuleSpec, parameter: ParameterSpec): string | undefined {
  return parameter.of_input ?? spec.inputs.find((port) => port.type === 'table')?.name;
}

interface ComputeTargetFieldProps {
  nodeId: string;
  value: string;
  readOnly: boolean;
  problem: string | undefined;
  onChange: (value: string) => void;
}

/** Where the node runs: the default target or one of the workspace's (value "" is the default). */
function ComputeTargetField({ nodeId, value, readOnly, problem, onChange }: ComputeTargetFieldProps) {
  const targets = useTargetStore((state) => state.targets);
  const named = targets.filter((target) => !target.default);
  const known = value === '' || named.some((target) => target.name === value);
  const offline = (name: string) => targets.find((target) => target.name === name)?.workers?.length === 0;
  return (
    <div className={`parameter${problem ? ' has-problem' : ''}`}>
      <label htmlFor={`target-${nodeId}`}>Compute target</label>
      <select
        id={`target-${nodeId}`}
        data-testid="compute-target"
        value={value}
        disabled={readOnly}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">default{offline('default') ? ' (no worker)' : ''}</option>
        {named.map((target) => (
          <option key={target.name} value={target.name}>
            {target.name}
            {offline(target.name) ? ' (no worker)' : ''}
          </option>
        ))}
        {!known && <option value={value}>{value} (not in this workspace)</option>}
      </select>
      {problem && <small className="error-text">{problem}</small>}
    </div>
  );
}

export function PropertiesForm({ node, spec, problems, readOnly }: PropertiesFormProps) {
  const setParameter = useCanvasStore((state) => state.setParameter);
  const setNodeKey = useCanvasStore((state) => state.setNodeKey);
  const comment = typeof node.data.extra.comment === 'string' ? node.data.extra.comment : '';
  const inputSchemas = useCanvasStore((state) => state.schemas[node.id]?.inputs);
  const columnsFor = (parameter: ParameterSpec): string[] | undefined => {
    if (parameter.kind !== 'column' && parameter.kind !== 'columns') return undefined;
    const port = columnInput(spec, parameter);
    return port ? inputSchemas?.[port]?.columns.map((column) => column.name) : undefined;
  };
  const hintFor = (parameter: ParameterSpec): string | null => {
    if (parameter.kind !== 'column' && parameter.kind !== 'columns') return null;
    const port = columnInput(spec, parameter);
    return port ? observedHint(inputSchemas?.[port]) : null;
  };
  const problemFor = (name: string) => problems.find((problem) => problem.parameter === name)?.message;
  return (
    <form className="properties-form" onSubmit={(event) => event.preventDefault()}>
      {spec.parameters.length === 0 && <p className="muted">This module has no parameters.</p>}
      {spec.parameters.map((parameter) => {
        const bindingProps = { node, spec: parameter, readOnly };
        const isBound = bindingName(node.data.parameters[parameter.name]) !== null;
        if (parameter.kind === 'dataset_version' && !isBound)
          return <BindPicker key={`${node.id}:${parameter.name}:bind`} {...bindingProps} />; // drawn beside its dataset
        if (parameter.kind === 'dataset') {
          const version = spec.parameters.find((other) => other.kind === 'dataset_version');
          return (
            <DatasetParameters
              key={`${node.id}:${parameter.name}`}
              {...{ node, version, readOnly, problemFor }}
              dataset={parameter}
            />
          );
        }
        const hint = hintFor(parameter);
        return (
          <Fragment key={`${node.id}:${parameter.name}`}>
            <ParameterField
              spec={parameter}
              value={node.data.parameters[parameter.name] ?? null}
              readOnly={readOnly}
              problem={problemFor(parameter.name)}
              columns={columnsFor(parameter)}
              onChange={(value) => setParameter(node.id, parameter.name, value)}
              bound={isBound ? <BoundField {...bindingProps} /> : undefined}
              binder={<BindPicker {...bindingProps} />}
            />
            {hint && (
              <small className="parameter-description observed-columns" data-testid="observed-columns">
                {hint}
              </small>
            )}
          </Fragment>
        );
      })}
      <div className="parameter parameter-comment">
        <label htmlFor={`comment-${node.id}`}>Comment</label>
        <textarea
          id={`comment-${node.id}`}
          rows={2}
          placeholder="A note for whoever reads this pipeline"
          value={comment}
          readOnly={readOnly}
          onChange={(event) => setNodeKey(node.id, 'comment', event.target.value)}
        />
      </div>
      <ComputeTargetField
        nodeId={node.id}
        value={typeof node.data.extra.compute_target === 'string' ? node.data.extra.compute_target : ''}
        readOnly={readOnly}
        problem={problemFor('compute_target')}
        onChange={(value) => setNodeKey(node.id, 'compute_target', value)}
      />
    </form>
  );
}

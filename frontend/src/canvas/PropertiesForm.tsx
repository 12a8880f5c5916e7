/** The parameters of the selected node, as a form generated from its spec. */
import type { ModuleSpec, ParameterSpec, Problem } from '../api/types';
import { DatasetParameters } from '../datasets/DatasetParameters';
import { useCanvasStore } from './canvasStore';
import type { ModuleNode } from './graphFormat';
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

export function PropertiesForm({ node, spec, problems, readOnly }: PropertiesFormProps) {
  const setParameter = useCanvasStore((state) => state.setParameter);
  const setComment = useCanvasStore((state) => state.setComment);
  const comment = typeof node.data.extra.comment === 'string' ? node.data.extra.comment : '';
  const inputSchemas = useCanvasStore((state) => state.schemas[node.id]?.inputs);
  const columnsFor = (parameter: ParameterSpec): string[] | undefined => {
    if (parameter.kind !== 'column' && parameter.kind !== 'columns') return undefined;
    const port = columnInput(spec, parameter);
    return port ? inputSchemas?.[port]?.columns.map((column) => column.name) : undefined;
  };
  const problemFor = (name: string) => problems.find((problem) => problem.parameter === name)?.message;
  return (
    <form className="properties-form" onSubmit={(event) => event.preventDefault()}>
      {spec.parameters.length === 0 && <p className="muted">This module has no parameters.</p>}
      {spec.parameters.map((parameter) => {
        if (parameter.kind === 'dataset_version') return null; // drawn beside its dataset
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
        return (
          <ParameterField
            key={`${node.id}:${parameter.name}`}
            spec={parameter}
            value={node.data.parameters[parameter.name] ?? null}
            readOnly={readOnly}
            problem={problemFor(parameter.name)}
            columns={columnsFor(parameter)}
            onChange={(value) => setParameter(node.id, parameter.name, value)}
          />
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
          onChange={(event) => setComment(node.id, event.target.value)}
        />
      </div>
    </form>
  );
}

/** The parameters of the selected node, as a form generated from its spec. */
import type { ModuleSpec, Problem } from '../api/types';
import { useCanvasStore } from './canvasStore';
import type { ModuleNode } from './graphFormat';
import { ParameterField } from './ParameterField';

interface PropertiesFormProps {
  node: ModuleNode;
  spec: ModuleSpec;
  problems: Problem[];
  readOnly: boolean;
}

export function PropertiesForm({ node, spec, problems, readOnly }: PropertiesFormProps) {
  const setParameter = useCanvasStore((state) => state.setParameter);
  const problemFor = (name: string) => problems.find((problem) => problem.parameter === name)?.message;
  return (
    <form className="properties-form" onSubmit={(event) => event.preventDefault()}>
      {spec.parameters.length === 0 && <p className="muted">This module has no parameters.</p>}
      {spec.parameters.map((parameter) => (
        <ParameterField
          key={`${node.id}:${parameter.name}`}
          spec={parameter}
          value={node.data.parameters[parameter.name] ?? null}
          readOnly={readOnly}
          problem={problemFor(parameter.name)}
          onChange={(value) => setParameter(node.id, parameter.name, value)}
        />
      ))}
    </form>
  );
}

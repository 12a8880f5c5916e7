/** A module's documentation, a click away from the palette: what it does, its ports and parameters. */
import { useEffect } from 'react';
import type { ModuleSpec, ParameterSpec, PortSpec } from '../api/types';

function PortRows({ title, ports }: { title: string; ports: PortSpec[] }) {
  if (ports.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <table className="docs-table">
        <tbody>
          {ports.map((port) => (
            <tr key={port.name}>
              <td>
                <code>{port.name}</code>
                {port.optional ? ' (optional)' : ''}
              </td>
              <td>{port.type}</td>
              <td>
                {port.label}
                {port.description ? `. ${port.description}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function allowed(parameter: ParameterSpec): string {
  const parts = [];
  if (parameter.choices.length > 0) parts.push(`one of ${parameter.choices.join(', ')}`);
  if (parameter.minimum !== null) parts.push(`≥ ${parameter.minimum}`);
  if (parameter.maximum !== null) parts.push(`≤ ${parameter.maximum}`);
  return parts.join('; ');
}

function parameterText(parameter: ParameterSpec): string {
  const parts = [parameter.label, parameter.description];
  if (parameter.default !== null) parts.push(`Default: ${JSON.stringify(parameter.default)}`);
  if (allowed(parameter)) parts.push(`Allowed: ${allowed(parameter)}`);
  return parts.filter((part) => part).join('. ') + '.';
}

function ParameterRows({ parameters }: { parameters: ParameterSpec[] }) {
  if (parameters.length === 0) return null;
  return (
    <>
      <h3>Parameters</h3>
      <table className="docs-table">
        <tbody>
          {parameters.map((parameter) => (
            <tr key={parameter.name}>
              <td>
                <code>{parameter.name}</code>
              </td>
              <td>{parameter.kind}</td>
              <td>{parameterText(parameter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const SOURCE_LABEL = { builtin: 'built-in', package: 'module package', workspace: 'workspace module' };

export function ModuleDocs({ spec, onClose }: { spec: ModuleSpec; onClose: () => void }) {
  useEffect(() => {
    const closeOnEscape = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [onClose]);
  const source = spec.source ? SOURCE_LABEL[spec.source] : 'module';
  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div
        className="sheet module-docs"
        role="dialog"
        aria-label={`${spec.display_name} documentation`}
        data-testid="module-docs"
        onClick={(event) => event.stopPropagation()}
      >
        <header>
          <h2>{spec.display_name}</h2>
          <button type="button" className="quiet" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <p className="muted">
          <code>{spec.name}</code> version {spec.version} · {spec.category} · {source}
          {spec.status && spec.status !== 'active' ? ` · ${spec.status}` : ''}
          {spec.published_by ? ` · published by ${spec.published_by}` : ''}
        </p>
        <p>{spec.description || 'No description.'}</p>
        <PortRows title="Inputs" ports={spec.inputs} />
        <PortRows title="Outputs" ports={spec.outputs} />
        <ParameterRows parameters={spec.parameters} />
        {!spec.deterministic && <p className="muted">Its results may differ between runs, so they are never reused.</p>}
      </div>
    </div>
  );
}

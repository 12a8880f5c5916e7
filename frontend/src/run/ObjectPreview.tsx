/** A model or transformation: what it is and its settings. */
import type { OutputPreview } from '../api/types';

type ObjectValue = Extract<OutputPreview, { kind: 'object' }>;

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function ObjectPreview({ preview }: { preview: ObjectValue }) {
  return (
    <div data-testid="preview-object">
      <h3 className="preview-title">{preview.title}</h3>
      <table className="preview-table properties-table">
        <tbody>
          {Object.entries(preview.properties).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{show(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

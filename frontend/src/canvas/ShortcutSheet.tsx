/** The sheet of keyboard shortcuts, shown on "?". */
import { SHORTCUTS } from './shortcuts';

const CLIPBOARD = [
  { keys: 'Ctrl+C', description: 'Copy the selection (as graph JSON)' },
  { keys: 'Ctrl+X', description: 'Cut the selection' },
  { keys: 'Ctrl+V', description: 'Paste modules, also from another pipeline or tab' },
  { keys: 'Shift+click, Shift+drag', description: 'Add to the selection, select with a box' },
];

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const rows = [...SHORTCUTS.map(({ keys, description }) => ({ keys, description })), ...CLIPBOARD];
  return (
    <div className="sheet-backdrop" role="presentation" onClick={onClose}>
      <div
        className="sheet"
        role="dialog"
        aria-label="Keyboard shortcuts"
        data-testid="shortcut-sheet"
        onClick={(event) => event.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {rows.map(({ keys, description }) => (
              <tr key={keys}>
                <th scope="row">
                  <kbd>{keys}</kbd>
                </th>
                <td>{description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

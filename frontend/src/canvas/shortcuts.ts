/** The keyboard shortcuts of the canvas, in one table: the sheet on "?" is generated from it. */
export type ShortcutAction =
  | 'undo'
  | 'redo'
  | 'selectAll'
  | 'duplicate'
  | 'delete'
  | 'save'
  | 'saveVersion'
  | 'run'
  | 'fitView'
  | 'layout'
  | 'search'
  | 'help'
  | 'group'
  | 'ungroup'
  | 'leaveGroup';

export interface Shortcut {
  action: ShortcutAction;
  keys: string;
  description: string;
  matches: (event: KeyboardEvent) => boolean;
  /** Changes the draft: not offered to readers. */
  edits: boolean;
}

const mod = (event: KeyboardEvent) => event.ctrlKey || event.metaKey;
const key = (event: KeyboardEvent) => event.key.toLowerCase();

export const SHORTCUTS: Shortcut[] = [
  {
    action: 'undo',
    keys: 'Ctrl+Z',
    description: 'Undo',
    edits: true,
    matches: (e) => mod(e) && !e.shiftKey && key(e) === 'z',
  },
  {
    action: 'redo',
    keys: 'Ctrl+Shift+Z or Ctrl+Y',
    description: 'Redo',
    edits: true,
    matches: (e) => mod(e) && ((e.shiftKey && key(e) === 'z') || key(e) === 'y'),
  },
  {
    action: 'selectAll',
    keys: 'Ctrl+A',
    description: 'Select all modules',
    edits: false,
    matches: (e) => mod(e) && key(e) === 'a',
  },
  {
    action: 'duplicate',
    keys: 'Ctrl+D',
    description: 'Duplicate the selection',
    edits: true,
    matches: (e) => mod(e) && key(e) === 'd',
  },
  {
    action: 'delete',
    keys: 'Delete or Backspace',
    description: 'Delete the selection',
    edits: true,
    matches: (e) => !mod(e) && (e.key === 'Delete' || e.key === 'Backspace'),
  },
  {
    action: 'save',
    keys: 'Ctrl+S',
    description: 'Save now',
    edits: true,
    matches: (e) => mod(e) && !e.shiftKey && key(e) === 's',
  },
  {
    action: 'saveVersion',
    keys: 'Ctrl+Shift+S',
    description: 'Save a version with a message',
    edits: true,
    matches: (e) => mod(e) && e.shiftKey && key(e) === 's',
  },
  {
    action: 'run',
    keys: 'Ctrl+Enter',
    description: 'Run the pipeline',
    edits: true,
    matches: (e) => mod(e) && e.key === 'Enter',
  },
  { action: 'fitView', keys: 'F', description: 'Zoom to fit', edits: false, matches: (e) => !mod(e) && key(e) === 'f' },
  {
    action: 'layout',
    keys: 'L',
    description: 'Lay out left to right',
    edits: true,
    matches: (e) => !mod(e) && key(e) === 'l',
  },
  {
    action: 'search',
    keys: 'Ctrl+K',
    description: 'Search modules',
    edits: false,
    matches: (e) => mod(e) && key(e) === 'k',
  },
  {
    action: 'group',
    keys: 'Ctrl+G',
    description: 'Group the selected modules',
    edits: true,
    matches: (e) => mod(e) && !e.shiftKey && key(e) === 'g',
  },
  {
    action: 'ungroup',
    keys: 'Ctrl+Shift+G',
    description: 'Ungroup the selected group',
    edits: true,
    matches: (e) => mod(e) && e.shiftKey && key(e) === 'g',
  },
  {
    action: 'leaveGroup',
    keys: 'Esc',
    description: 'Close this sheet, or leave the opened group',
    edits: false,
    matches: (e) => e.key === 'Escape',
  },
  { action: 'help', keys: '?', description: 'Show these shortcuts', edits: false, matches: (e) => e.key === '?' },
];

/** Typing in a field must never trigger a canvas shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

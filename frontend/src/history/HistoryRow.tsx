/** One version or run in a history panel: a box to pick it for comparing, and a button to open it. */
import type { ReactNode } from 'react';

interface HistoryRowProps {
  testId: string;
  /** "version 3", "run 2": what the pick box and the button are about. */
  what: string;
  picked: boolean;
  onPick: (picked: boolean) => void;
  onOpen: () => void;
  current: boolean;
  title: ReactNode;
  meta: ReactNode;
}

export function HistoryRow({ testId, what, picked, onPick, onOpen, current, title, meta }: HistoryRowProps) {
  return (
    <li className={`history-row${current ? ' is-current' : ''}`} data-testid={testId}>
      <input
        type="checkbox"
        aria-label={`Pick ${what} to compare`}
        checked={picked}
        onChange={(event) => onPick(event.target.checked)}
      />
      <button type="button" className="history-open" onClick={onOpen} title={`Open ${what} read-only`}>
        <span className="history-title">{title}</span>
        <span className="history-meta muted">{meta}</span>
      </button>
    </li>
  );
}

/** The list after picking (or unpicking) `item`: at most the last two picked. */
export function pickTwo<T>(list: T[], item: T, on: boolean, same: (a: T, b: T) => boolean): T[] {
  const others = list.filter((other) => !same(other, item));
  return on ? [...others, item].slice(-2) : others;
}

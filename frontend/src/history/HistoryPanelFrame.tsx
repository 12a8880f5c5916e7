/** The frame of a history panel in the right-hand column: a title and a way to close it. */
import type { ReactNode } from 'react';
import { useHistoryStore } from './historyStore';

export function HistoryPanelFrame({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const close = useHistoryStore((state) => state.close);
  return (
    <aside className="node-panel history-panel" aria-label={title} data-testid={testId}>
      <header className="history-header">
        <h2>{title}</h2>
        <button type="button" className="link-button" aria-label={`Close ${title.toLowerCase()}`} onClick={close}>
          ×
        </button>
      </header>
      <div className="panel-body">{children}</div>
    </aside>
  );
}

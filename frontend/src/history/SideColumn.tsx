/** The right-hand column of a pipeline page: the selected module's panel first, else an open
 * history panel, else the page's own panel. And the header buttons that open the history panels. */
import type { ReactNode } from 'react';
import { useSelectedNode } from '../canvas/canvasStore';
import type { DraftSaver } from '../canvas/draftSaver';
import { NodePanel } from '../canvas/NodePanel';
import { GroupPanel } from '../groups/GroupPanel';
import type { RunOptions } from '../run/startRun';
import { type HistoryPanel, useHistoryStore } from './historyStore';
import { RunsPanel } from './RunsPanel';
import { VersionsPanel } from './VersionsPanel';

const PANELS: [HistoryPanel, string][] = [
  ['versions', 'Versions'],
  ['runs', 'Runs'],
];

export function HistoryButtons() {
  const panel = useHistoryStore((state) => state.panel);
  const toggle = useHistoryStore((state) => state.toggle);
  return (
    <>
      {PANELS.map(([name, label]) => (
        <button
          key={name}
          type="button"
          className="header-button"
          aria-pressed={panel === name}
          data-testid={`${name}-button`}
          onClick={() => toggle(name)}
        >
          {label}
        </button>
      ))}
    </>
  );
}

interface SideColumnProps {
  pipelineId: number;
  readOnly: boolean;
  /** Where the history panels go: the draft page saves pending edits first. */
  go: (path: string) => void;
  fallback: ReactNode;
  saver?: DraftSaver | null;
  onRun?: (options: RunOptions) => void;
  currentVersion?: number;
  currentRun?: number;
}

export function SideColumn({ pipelineId, readOnly, go, fallback, saver = null, onRun, ...current }: SideColumnProps) {
  const selected = useSelectedNode();
  const panel = useHistoryStore((state) => state.panel);
  if (selected?.type === 'subpipeline') {
    return <GroupPanel key={selected.id} node={selected} readOnly={readOnly} onRun={onRun} />;
  }
  if (selected) return <NodePanel key={selected.id} node={selected} readOnly={readOnly} onRun={onRun} />;
  if (panel === 'versions') {
    return <VersionsPanel pipelineId={pipelineId} saver={saver} go={go} current={current.currentVersion} />;
  }
  if (panel === 'runs') return <RunsPanel pipelineId={pipelineId} go={go} current={current.currentRun} />;
  return fallback;
}

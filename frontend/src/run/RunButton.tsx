/** Run: saves what is pending, then starts a run of the draft; busy while a run is under way. */
import { useState } from 'react';
import { type DraftSaver, useSaveStore } from '../canvas/draftSaver';
import { FINISHED, useRunStore } from './runStore';
import { startRun } from './startRun';

export function RunButton({ pipelineId, saver }: { pipelineId: number; saver: DraftSaver }) {
  const [starting, setStarting] = useState(false);
  const busy = useRunStore((state) => state.run !== null && !FINISHED.has(state.run.status));
  const conflict = useSaveStore((state) => state.status === 'conflict');
  const run = async () => {
    setStarting(true);
    await startRun(pipelineId, saver);
    setStarting(false);
  };
  return (
    <button
      type="button"
      className="primary"
      data-testid="run-button"
      disabled={starting || busy || conflict}
      onClick={run}
    >
      {busy ? 'Running…' : '▶ Run'}
    </button>
  );
}

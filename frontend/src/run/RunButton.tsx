/** Run: saves what is pending, then starts a run of the draft; busy while a run is under way.
 * A pipeline with parameters asks for their values first (prefilled with the defaults). */
import { useState } from 'react';
import type { ParameterValue } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import { type DraftSaver, useSaveStore } from '../canvas/draftSaver';
import { parametersOf } from '../parameters/pipelineParameters';
import { RunValuesDialog } from '../parameters/RunValuesDialog';
import { FINISHED, useRunStore } from './runStore';
import { startRun } from './startRun';

export function RunButton({ pipelineId, saver }: { pipelineId: number; saver: DraftSaver }) {
  const [starting, setStarting] = useState(false);
  const [asking, setAsking] = useState(false);
  const busy = useRunStore((state) => state.run !== null && !FINISHED.has(state.run.status));
  const conflict = useSaveStore((state) => state.status === 'conflict');
  const parameters = useCanvasStore((state) => parametersOf(state.extra));
  const run = async (values?: Record<string, ParameterValue>) => {
    setAsking(false);
    setStarting(true);
    await startRun(pipelineId, saver, values ? { parameters: values } : {});
    setStarting(false);
  };
  return (
    <>
      <button
        type="button"
        className="primary"
        data-testid="run-button"
        disabled={starting || busy || conflict}
        onClick={() => (parameters.length > 0 ? setAsking(true) : void run())}
      >
        {busy ? 'Running…' : '▶ Run'}
      </button>
      {asking && (
        <RunValuesDialog
          parameters={parameters}
          onRun={(values) => void run(values)}
          onCancel={() => setAsking(false)}
        />
      )}
    </>
  );
}

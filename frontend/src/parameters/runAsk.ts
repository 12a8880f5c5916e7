/** Whether the "run with these values" dialog is open: the Run button and the Ctrl+Enter shortcut both open it. */
import { create } from 'zustand';
import { useCanvasStore } from '../canvas/canvasStore';
import { parametersOf } from './pipelineParameters';

export const useRunAskStore = create<{ asking: boolean }>()(() => ({ asking: false }));

/** Opens the dialog when the pipeline has parameters; returns false when there is nothing to ask. */
export function askRunValues(): boolean {
  if (parametersOf(useCanvasStore.getState().extra).length === 0) return false;
  useRunAskStore.setState({ asking: true });
  return true;
}

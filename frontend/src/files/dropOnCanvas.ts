/** A graph file dropped on the canvas joins the draft as one undoable edit; a bad one is refused with why. */
import { useCanvasStore } from '../canvas/canvasStore';
import { showToast } from '../ui/toasts';
import { checkGraph, importIntoCanvas, readDroppedFile, refusalMessage } from './graphFiles';

export async function dropGraphFile(file: File): Promise<void> {
  const parsed = await readDroppedFile(file);
  if ('error' in parsed) {
    showToast(parsed.error);
    return;
  }
  try {
    const { graph } = await checkGraph(parsed.document);
    useCanvasStore.getState().apply((current) => importIntoCanvas(current, graph));
    showToast(`Imported ${graph.nodes.length} module(s) from ${file.name}.`, 'info');
  } catch (error) {
    showToast(refusalMessage(file.name, error));
  }
}

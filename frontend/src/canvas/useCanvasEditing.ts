/** Keyboard shortcuts and the clipboard for the canvas.
 * Copy, cut and paste use the browser's clipboard events (they work over plain http), carrying
 * the selection as graph JSON, so modules move between pipelines and browser tabs. */
import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useHistoryStore } from '../history/historyStore';
import { askRunValues } from '../parameters/runAsk';
import { startRun } from '../run/startRun';
import { showToast } from '../ui/toasts';
import { layoutLeftToRight } from './autoLayout';
import { useCanvasStore } from './canvasStore';
import type { DraftSaver } from './draftSaver';
import { deleteSelection, graphFromText, hasSelection, pasteGraph, selectAll, selectionToGraph } from './editing';
import { isTyping, SHORTCUTS, type ShortcutAction } from './shortcuts';
import { groupSelected, ungroupSelected } from '../groups/groupActions';

const CLIPBOARD_TYPE = 'application/vnd.trellis.graph+json';

interface Options {
  pipelineId: number;
  saver: DraftSaver | null;
  readOnly: boolean;
}

function duplicate(): void {
  const store = useCanvasStore.getState();
  const copied = selectionToGraph(store);
  if (copied) store.apply((current) => pasteGraph(current, copied));
}

async function layout(): Promise<void> {
  const store = useCanvasStore.getState();
  const laidOut = await layoutLeftToRight({ nodes: store.nodes, edges: store.edges });
  store.apply((current) => ({
    nodes: current.nodes.map((node) => ({
      ...node,
      position: laidOut.nodes.find((placed) => placed.id === node.id)?.position ?? node.position,
    })),
    edges: current.edges,
  }));
}

export function useCanvasEditing({ pipelineId, saver, readOnly }: Options): [boolean, (open: boolean) => void] {
  const [helpOpen, setHelpOpen] = useState(false);
  const helpShown = useRef(helpOpen); // read by the key handler, which is not made again when it changes
  helpShown.current = helpOpen;
  const { fitView } = useReactFlow();

  useEffect(() => {
    const store = useCanvasStore.getState;
    const actions: Record<ShortcutAction, () => void> = {
      undo: () => store().undo(),
      redo: () => store().redo(),
      selectAll: () => useCanvasStore.setState((state) => selectAll(state)),
      duplicate,
      delete: () => hasSelection(store()) && store().apply(deleteSelection),
      save: () => void saver?.flush(),
      saveVersion: () => saver && useHistoryStore.getState().open('versions', true),
      run: () => saver && (askRunValues() || void startRun(pipelineId, saver)),
      fitView: () => void fitView({ padding: 0.12, duration: 200 }),
      layout: () => void layout().then(() => fitView({ padding: 0.12, duration: 200 })),
      search: () => document.querySelector<HTMLInputElement>('.palette-search')?.focus(),
      help: () => setHelpOpen((open) => !open),
      group: groupSelected,
      ungroup: ungroupSelected,
      leaveGroup: () => (helpShown.current ? setHelpOpen(false) : store().closeGroup()),
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const shortcut = SHORTCUTS.find((candidate) => candidate.matches(event));
      if (!shortcut || (readOnly && shortcut.edits)) return;
      event.preventDefault();
      actions[shortcut.action]();
    };
    const onCopy = (event: ClipboardEvent, cut: boolean) => {
      if (isTyping(event.target) || !event.clipboardData) return;
      const copied = selectionToGraph(store());
      if (!copied) return;
      const text = JSON.stringify(copied, null, 2);
      event.clipboardData.setData(CLIPBOARD_TYPE, text);
      event.clipboardData.setData('text/plain', text);
      event.preventDefault();
      if (cut && !readOnly) store().apply(deleteSelection);
    };
    const onPaste = (event: ClipboardEvent) => {
      if (readOnly || isTyping(event.target) || !event.clipboardData) return;
      const text = event.clipboardData.getData(CLIPBOARD_TYPE) || event.clipboardData.getData('text/plain');
      const graph = graphFromText(text);
      if (!graph) return;
      event.preventDefault();
      store().apply((current) => pasteGraph(current, graph));
      showToast(`Pasted ${graph.nodes.length} module(s).`);
    };
    const copy = (event: ClipboardEvent) => onCopy(event, false);
    const cut = (event: ClipboardEvent) => onCopy(event, true);
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', onPaste);
    };
  }, [pipelineId, saver, readOnly, fitView]);

  return [helpOpen, setHelpOpen];
}

/** The React Flow surface: nodes and edges from the canvas store, drops from the palette, checked connections. */
import {
  Background,
  Controls,
  type Edge,
  type Connection,
  MiniMap,
  type OnConnectEnd,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ParameterValue } from '../api/types';
import { moduleKey, useCatalogStore } from '../catalog/catalogStore';
import { dropGraphFile } from '../files/dropOnCanvas';
import { usePaneMenu } from '../notes/AddNote';
import { carriesFiles } from '../files/graphFiles';
import { connectionRefusal } from '../catalog/connectionRules';
import { useThemeStore } from '../theme/themeStore';
import { showToast } from '../ui/toasts';
import type { NoteNode } from '../notes/notes';
import { useCanvasStore } from './canvasStore';
import type { ModuleNode } from './graphFormat';
import { nodeTypes } from './ModuleNode';
import { MODULE_DRAG_TYPE, PARAMETERS_DRAG_TYPE } from './dragTypes';
import { groupOf } from '../groups/grouping';
import { groupSpec } from '../groups/groupSpec';
import { specLookup } from '../groups/useGroup';

function refusal(connection: Connection | Edge): string | null {
  const { byKey, portTypes } = useCatalogStore.getState();
  const { nodes, edges } = useCanvasStore.getState();
  const specOf = (nodeId: string) => {
    const node = nodes.find((candidate) => candidate.id === nodeId);
    const group = groupOf(node);
    if (group) return groupSpec(group, specLookup(byKey)); // its exposed ports, typed by the inner ones
    return node ? byKey[moduleKey(node.data.module, node.data.version)] : undefined;
  };
  return connectionRefusal(connection, { specOf, edges, portTypes });
}

const isValidConnection = (connection: Connection | Edge) => refusal(connection) === null;

/** Says why a connection dropped on a port was refused. */
const explainRefusal: OnConnectEnd = (_event, state) => {
  const { fromHandle, toHandle } = state;
  if (state.isValid !== false || !fromHandle || !toHandle) return;
  const [source, target] = fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle];
  const reason = refusal({
    source: source.nodeId,
    sourceHandle: source.id ?? null,
    target: target.nodeId,
    targetHandle: target.id ?? null,
  });
  if (reason) showToast(reason);
};

/** The minimap, mounted afresh when the graph goes from empty to loaded (and back): React adds a
 * whole new subtree in one pass, where adding 1,000 markers to a mounted one costs O(n²). */
function GraphMiniMap() {
  const hasNodes = useStore((state) => state.nodes.length > 0);
  return <MiniMap key={hasNodes ? 'graph' : 'empty'} pannable zoomable />;
}

export function FlowCanvas({ readOnly }: { readOnly: boolean }) {
  const nodes = useCanvasStore((state) => state.nodes);
  const edges = useCanvasStore((state) => state.edges);
  const notes = useCanvasStore((state) => state.notes);
  const openedGroup = useCanvasStore((state) => state.opened?.groupId ?? null);
  // Notes first, so they lie underneath the modules; they belong to the pipeline, not to an opened group.
  const drawn = useMemo(
    (): (ModuleNode | NoteNode)[] => (openedGroup ? nodes : [...notes, ...nodes]),
    [nodes, notes, openedGroup],
  );
  const paneMenu = usePaneMenu(readOnly);
  const onNodesChange = useCanvasStore((state) => state.onNodesChange);
  const onEdgesChange = useCanvasStore((state) => state.onEdgesChange);
  const connect = useCanvasStore((state) => state.connect);
  const addModule = useCanvasStore((state) => state.addModule);
  const openGroup = useCanvasStore((state) => state.openGroup);
  const { screenToFlowPosition, fitView } = useReactFlow();
  // Into or out of a group, another graph is on the canvas: fit it once its nodes are measured
  // (the fitView prop would fit too early: nodes update their internals when they mount).
  const nodesInitialized = useNodesInitialized();
  const shownGroup = useRef(openedGroup);
  const [fitPending, setFitPending] = useState(false);
  useEffect(() => {
    if (shownGroup.current === openedGroup) return;
    shownGroup.current = openedGroup;
    setFitPending(true);
  }, [openedGroup]);
  useEffect(() => {
    if (!fitPending || !nodesInitialized) return;
    setFitPending(false);
    void fitView({ maxZoom: 1, padding: 0.12 });
  }, [fitPending, nodesInitialized, fitView]);
  const theme = useThemeStore((state) => state.theme);
  // Fit a loaded graph once; an empty canvas must not jump when its first module lands.
  const [fitLoadedGraph] = useState(() => nodes.length > 0);

  const allowDrop = useCallback((event: DragEvent) => {
    const types = event.dataTransfer.types;
    if (!types.includes(MODULE_DRAG_TYPE) && !carriesFiles(types)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const drop = useCallback(
    (event: DragEvent) => {
      const [file] = event.dataTransfer.files;
      if (file) {
        event.preventDefault(); // a graph file: import it (the browser would otherwise open it)
        void dropGraphFile(file);
        return;
      }
      const spec = useCatalogStore.getState().byKey[event.dataTransfer.getData(MODULE_DRAG_TYPE)];
      if (!spec) return;
      event.preventDefault();
      const preset = event.dataTransfer.getData(PARAMETERS_DRAG_TYPE);
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addModule(spec, position, preset ? (JSON.parse(preset) as Record<string, ParameterValue>) : undefined);
    },
    [addModule, screenToFlowPosition],
  );

  return (
    <div className="flow-canvas" data-testid="canvas">
      <ReactFlow
        nodes={drawn}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        onConnectEnd={explainRefusal}
        onNodeDoubleClick={(_event, node) => openGroup(node.id) /* a group opens; a module is left alone */}
        isValidConnection={isValidConnection}
        onDragOver={readOnly ? undefined : allowDrop}
        onDrop={readOnly ? undefined : drop}
        onPaneContextMenu={paneMenu.open}
        onPaneClick={paneMenu.close}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null /* deleting is one undoable step: see useCanvasEditing */}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        snapToGrid
        snapGrid={[16, 16]}
        connectionRadius={30}
        fitView={fitLoadedGraph}
        fitViewOptions={{ maxZoom: 1, padding: 0.12 }}
        colorMode={theme}
        onlyRenderVisibleElements /* a 1,000-node graph pans at frame rate: only what is in view is in the page */
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <GraphMiniMap />
      </ReactFlow>
      {paneMenu.menu}
    </div>
  );
}

/** Pipeline parameter edits on the canvas store: each one undoable step. */
import type { ParameterValue } from '../api/types';
import { useCanvasStore } from '../canvas/canvasStore';
import type { ModuleNode } from '../canvas/graphFormat';
import { binding, deleteParameter, type PipelineParameter, saveParameter } from './pipelineParameters';

type Editable = { nodes: ModuleNode[]; extra: Record<string, unknown> };

function edit(change: (state: Editable) => Editable): void {
  useCanvasStore.getState().apply((current) => ({
    ...current,
    ...change({ nodes: current.nodes, extra: current.extra ?? {} }),
  }));
}

export function parameterSave(parameter: PipelineParameter, index: number): void {
  edit((state) => saveParameter(state, parameter, index));
}

export function parameterDelete(name: string, unbind: boolean): void {
  edit((state) => deleteParameter(state, name, unbind));
}

export function fieldBind(nodeId: string, field: string, name: string): void {
  useCanvasStore.getState().setParameter(nodeId, field, binding(name));
}

export function fieldUnbind(nodeId: string, field: string, value: ParameterValue): void {
  useCanvasStore.getState().setParameter(nodeId, field, value);
}

/** The compute targets nodes of this workspace may run on, loaded with the canvas. */
import { create } from 'zustand';
import { api } from '../api/client';
import type { ComputeTarget } from '../api/types';

interface TargetState {
  targets: ComputeTarget[];
  load: (workspaceId: number) => Promise<void>;
}

export const useTargetStore = create<TargetState>()((set) => ({
  targets: [],
  load: async (workspaceId) => {
    try {
      set({ targets: await api.get<ComputeTarget[]>(`/api/workspaces/${workspaceId}/compute-targets/`) });
    } catch {
      set({ targets: [] }); // the field then offers the node's own value only; saving still validates it
    }
  },
}));

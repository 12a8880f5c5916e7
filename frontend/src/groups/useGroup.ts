/** Hooks for a group node: its spec (exposed ports, typed), its problems and its summed-up run status. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModuleSpec, Problem } from '../api/types';
import { moduleKey, useCatalogStore } from '../catalog/catalogStore';
import { useCanvasStore } from '../canvas/canvasStore';
import { useRunStore } from '../run/runStore';
import { type GroupDocument, isInside } from './grouping';
import { groupSpec, groupStatus } from './groupSpec';

export function specLookup(byKey: Record<string, ModuleSpec>) {
  return (module: string, version: string) => byKey[moduleKey(module, version)];
}

export function useGroupSpec(group: GroupDocument | undefined): ModuleSpec | undefined {
  const byKey = useCatalogStore((state) => state.byKey);
  return useMemo(() => (group ? groupSpec(group, specLookup(byKey)) : undefined), [group, byKey]);
}

/** The group's own problems and those of every node inside it. */
export function useGroupProblems(groupId: string): Problem[] {
  return useCanvasStore(
    useShallow((state) =>
      state.problems.filter((problem) => problem.node === groupId || isInside(groupId, problem.node)),
    ),
  );
}

export function useGroupStatus(groupId: string) {
  return useRunStore((state) =>
    groupStatus(
      Object.values(state.steps)
        .filter((step) => isInside(groupId, step.node))
        .map((step) => step.status),
    ),
  );
}

/** Sub-pipelines in the gallery: the workspace's pipeline modules (for the palette), saving a group
 * as the next version of one, and the group node a placed version becomes. */
import { create } from 'zustand';
import { api } from '../api/client';
import type { Graph, GraphNode } from '../api/types';
import type { Selection } from '../canvas/editing';
import { type GroupDocument, withGroup } from './grouping';

export interface PipelineModuleVersion {
  version: string;
  status: string;
  graph: GroupDocument;
}

export interface PipelineModule {
  name: string;
  display_name: string;
  description: string;
  default_version: string;
  versions: PipelineModuleVersion[];
}

interface PipelineModulesState {
  workspaceId: number | null;
  modules: PipelineModule[];
  load: (workspaceId: number) => Promise<void>;
  /** Publish `group` as the next version of module `name`; its version. */
  save: (workspaceId: number, name: string, group: GroupDocument) => Promise<string>;
}

const url = (workspaceId: number) => `/api/workspaces/${workspaceId}/pipeline-modules/`;

export const usePipelineModules = create<PipelineModulesState>()((set, get) => ({
  workspaceId: null,
  modules: [],
  load: async (workspaceId) => {
    const modules = await api.get<PipelineModule[]>(url(workspaceId));
    set({ workspaceId, modules });
  },
  save: async (workspaceId, name, group) => {
    const { from_module: _origin, ...inner } = group;
    const saved = await api.post<{ name: string; version: string }>(url(workspaceId), { name, group: inner });
    await get().load(workspaceId);
    return saved.version;
  },
}));

/** A graph of one group node holding a copy of this version, pinned to it by `from_module`
 * (pasted onto the canvas, it gets a fresh id like any paste). */
export function placedGroup(module: PipelineModule, version: PipelineModuleVersion): Graph {
  const group = { ...version.graph, from_module: { name: module.name, version: version.version } };
  // A group node has no module or version: the one GraphNode the type does not describe.
  const node = { id: module.name, group, position: { x: 0, y: 0 } } as unknown as GraphNode;
  return { format_version: 2, nodes: [node], edges: [] };
}

/** The pinned version a placed copy came from, if it came from the gallery. */
export function originOf(group: GroupDocument | undefined): { name: string; version: string } | undefined {
  const origin = group?.from_module as { name?: unknown; version?: unknown } | undefined;
  return typeof origin?.name === 'string' && typeof origin.version === 'string'
    ? { name: origin.name, version: origin.version }
    : undefined;
}

/** The module's default version when a placed copy is pinned to another (older) one: "update available". */
export function updateFor(
  group: GroupDocument | undefined,
  modules: PipelineModule[],
): { module: PipelineModule; version: PipelineModuleVersion } | undefined {
  const origin = originOf(group);
  const module = origin && modules.find((candidate) => candidate.name === origin.name);
  const version = module && defaultVersion(module);
  if (!origin || !module || !version || Number(version.version) <= Number(origin.version)) return undefined;
  return { module, version };
}

/** A placed copy moved to another version of its module: the inner graph replaced, the outer
 * connections to ports that version still exposes kept (the others dropped). One undo step. */
export function updatedCopy(
  current: Selection,
  groupId: string,
  module: PipelineModule,
  version: PipelineModuleVersion,
): Selection {
  const group = placedGroup(module, version).nodes[0]?.group as GroupDocument;
  return withGroup(current, groupId, group);
}

/** The default version if it is usable, else the newest listed. */
export function defaultVersion(module: PipelineModule): PipelineModuleVersion | undefined {
  return module.versions.find((version) => version.version === module.default_version) ?? module.versions.at(-1);
}

/** The module catalog: specs by name and version, and the port compatibility table. */
import { create } from 'zustand';
import { api, errorMessage } from '../api/client';
import type { Catalog, ModuleSpec, PortType } from '../api/types';

export function moduleKey(name: string, version: string): string {
  return `${name}@${version}`;
}

interface CatalogState {
  modules: ModuleSpec[];
  byKey: Record<string, ModuleSpec>;
  portTypes: Record<string, PortType>;
  /** The workspace whose own modules the catalog holds besides the built-ins (null: none yet). */
  workspaceId: number | null;
  loaded: boolean;
  error: string | null;
  /** Loads the catalog of a workspace once; `fresh` loads it again (after publishing, say). */
  load: (workspaceId: number, fresh?: boolean) => Promise<void>;
}

export const useCatalogStore = create<CatalogState>()((set, get) => ({
  modules: [],
  byKey: {},
  portTypes: {},
  workspaceId: null,
  loaded: false,
  error: null,
  load: async (workspaceId, fresh = false) => {
    if (get().loaded && get().workspaceId === workspaceId && !fresh) return;
    try {
      const catalog = await api.get<Catalog>(`/api/catalog/?workspace=${workspaceId}`);
      set({
        modules: catalog.modules,
        byKey: Object.fromEntries(catalog.modules.map((spec) => [moduleKey(spec.name, spec.version), spec])),
        portTypes: Object.fromEntries(catalog.port_types.map((portType) => [portType.name, portType])),
        workspaceId,
        loaded: true,
        error: null,
      });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));

/** What the canvas says about a node's version: deprecated, disabled, or a newer one to move to. */
export interface VersionNotice {
  status: 'deprecated' | 'disabled' | 'update';
  text: string;
  newer: string | null;
}

export function versionNotice(spec: ModuleSpec | undefined): VersionNotice | null {
  if (!spec) return null;
  const newer = spec.newer_version ?? null;
  if (spec.status === 'disabled') {
    const why = spec.status_reason ? `: ${spec.status_reason}` : '';
    return { status: 'disabled', text: `Version ${spec.version} is disabled${why}`, newer };
  }
  if (spec.status === 'deprecated')
    return { status: 'deprecated', text: `Version ${spec.version} is deprecated`, newer };
  if (newer) return { status: 'update', text: `Version ${newer} is available`, newer };
  return null;
}

export function useModuleSpec(name: string, version: string): ModuleSpec | undefined {
  return useCatalogStore((state) => state.byKey[moduleKey(name, version)]);
}

/** The same rule as the backend: an output of type S may feed an input of type T iff T accepts S. */
export function portsCompatible(portTypes: Record<string, PortType>, source: string, target: string): boolean {
  if (source === target) return true;
  return portTypes[target]?.accepts.includes(source) ?? false;
}

export function portTypeLabel(portTypes: Record<string, PortType>, type: string): string {
  return portTypes[type]?.label.toLowerCase() ?? type;
}

/** The version of each module that the palette adds, in catalog order (which lists versions in
 * ascending order): a workspace module's default version, else its newest one; never a disabled one. */
export function paletteVersions(modules: ModuleSpec[]): ModuleSpec[] {
  const chosen = new Map<string, ModuleSpec>();
  for (const spec of modules) {
    if (spec.status === 'disabled') continue;
    const current = chosen.get(spec.name);
    const isDefault = spec.default_version === spec.version;
    if (!current || isDefault || current.default_version !== current.version) chosen.set(spec.name, spec);
  }
  return [...chosen.values()];
}

/** The palette's modules grouped by category, filtered by a search text, in catalog order. */
export function groupByCategory(modules: ModuleSpec[], search: string): [string, ModuleSpec[]][] {
  const needle = search.trim().toLowerCase();
  const groups = new Map<string, ModuleSpec[]>();
  for (const spec of paletteVersions(modules)) {
    const text = `${spec.display_name} ${spec.name} ${spec.category} ${spec.description}`.toLowerCase();
    if (needle && !text.includes(needle)) continue;
    const group = groups.get(spec.category) ?? [];
    group.push(spec);
    groups.set(spec.category, group);
  }
  return [...groups.entries()];
}

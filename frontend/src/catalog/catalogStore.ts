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
  loaded: boolean;
  error: string | null;
  load: () => Promise<void>;
}

export const useCatalogStore = create<CatalogState>()((set, get) => ({
  modules: [],
  byKey: {},
  portTypes: {},
  loaded: false,
  error: null,
  load: async () => {
    if (get().loaded) return;
    try {
      const catalog = await api.get<Catalog>('/api/catalog/');
      set({
        modules: catalog.modules,
        byKey: Object.fromEntries(catalog.modules.map((spec) => [moduleKey(spec.name, spec.version), spec])),
        portTypes: Object.fromEntries(catalog.port_types.map((portType) => [portType.name, portType])),
        loaded: true,
        error: null,
      });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));

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

/** The newest version of each module, in catalog order (the catalog lists versions in ascending order). */
export function latestVersions(modules: ModuleSpec[]): ModuleSpec[] {
  const latest = new Map<string, ModuleSpec>();
  for (const spec of modules) latest.set(spec.name, spec);
  return [...latest.values()];
}

/** The newest modules grouped by category, filtered by a search text, in catalog order. */
export function groupByCategory(modules: ModuleSpec[], search: string): [string, ModuleSpec[]][] {
  const needle = search.trim().toLowerCase();
  const groups = new Map<string, ModuleSpec[]>();
  for (const spec of latestVersions(modules)) {
    const text = `${spec.display_name} ${spec.name} ${spec.category} ${spec.description}`.toLowerCase();
    if (needle && !text.includes(needle)) continue;
    const group = groups.get(spec.category) ?? [];
    group.push(spec);
    groups.set(spec.category, group);
  }
  return [...groups.entries()];
}

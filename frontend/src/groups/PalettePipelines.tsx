/** The palette's "Sub-pipelines" section: the workspace's pipeline modules; a double-click (or
 * Enter) places a copy of the default version as a group. */
import { useEffect } from 'react';
import { useCatalogStore } from '../catalog/catalogStore';
import { useCanvasStore } from '../canvas/canvasStore';
import { pasteGraph } from '../canvas/editing';
import { defaultVersion, type PipelineModule, placedGroup, usePipelineModules } from './pipelineModules';

function place(module: PipelineModule): void {
  const version = defaultVersion(module);
  if (version) useCanvasStore.getState().apply((current) => pasteGraph(current, placedGroup(module, version)));
}

export function PalettePipelines({ search }: { search: string }) {
  const workspaceId = useCatalogStore((state) => state.workspaceId);
  const modules = usePipelineModules((state) => state.modules);
  const load = usePipelineModules((state) => state.load);
  useEffect(() => {
    if (workspaceId !== null) void load(workspaceId).catch(() => undefined); // the palette works without them
  }, [workspaceId, load]);
  const needle = search.trim().toLowerCase();
  const shown = modules.filter((module) => `${module.display_name} ${module.name}`.toLowerCase().includes(needle));
  if (shown.length === 0) return null;
  return (
    <section className="palette-group" data-testid="palette-pipelines">
      <h3>Sub-pipelines</h3>
      <ul>
        {shown.map((module) => (
          <li
            key={module.name}
            className="palette-item"
            data-testid={`palette-pipeline-${module.name}`}
            tabIndex={0}
            title="Double-click to place a copy of this sub-pipeline"
            onDoubleClick={() => place(module)}
            onKeyDown={(event) => event.key === 'Enter' && place(module)}
          >
            <span className="palette-name">
              {module.display_name}
              <span className="palette-tag">v{defaultVersion(module)?.version}</span>
            </span>
            <span className="palette-description">
              {module.description || `${defaultVersion(module)?.graph.nodes.length ?? 0} module(s)`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The module palette: built-in and workspace modules by category, searchable by name, category and
 * description, draggable onto the canvas, each with its documentation a click away. */
import { type DragEvent, type KeyboardEvent, useMemo, useState } from 'react';
import type { ModuleSpec, ParameterValue } from '../api/types';
import { groupByCategory, moduleKey, useCatalogStore } from '../catalog/catalogStore';
import { ModuleDocs } from '../catalog/ModuleDocs';
import { PaletteDatasets } from '../datasets/PaletteDatasets';
import { MODULE_DRAG_TYPE } from './dragTypes';
import { PalettePipelines } from '../groups/PalettePipelines';

interface PaletteProps {
  /** Add a module near the middle of the canvas, with preset parameters (a dataset's pin). */
  onAdd: (spec: ModuleSpec, parameters?: Record<string, ParameterValue>) => void;
}

interface PaletteItemProps {
  spec: ModuleSpec;
  onAdd: (spec: ModuleSpec) => void;
  onDocs: (spec: ModuleSpec) => void;
}

function PaletteItem({ spec, onAdd, onDocs }: PaletteItemProps) {
  const startDrag = (event: DragEvent<HTMLLIElement>) => {
    event.dataTransfer.setData(MODULE_DRAG_TYPE, moduleKey(spec.name, spec.version));
    event.dataTransfer.effectAllowed = 'copy';
  };
  const addOnEnter = (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.key === 'Enter') onAdd(spec);
  };
  return (
    <li
      className="palette-item"
      data-testid={`palette-${spec.name}`}
      draggable
      tabIndex={0}
      title={spec.description}
      onDragStart={startDrag}
      onDoubleClick={() => onAdd(spec)}
      onKeyDown={addOnEnter}
    >
      <span className="palette-name">
        {spec.display_name}
        {spec.source === 'workspace' && <span className="palette-tag">v{spec.version}</span>}
        {spec.status === 'deprecated' && <span className="palette-tag tag-deprecated">deprecated</span>}
        <button
          type="button"
          className="palette-docs link-button"
          aria-label={`${spec.display_name} documentation`}
          data-testid={`docs-${spec.name}`}
          onClick={(event) => {
            event.stopPropagation();
            onDocs(spec);
          }}
          onDoubleClick={(event) => event.stopPropagation()}
        >
          docs
        </button>
      </span>
      <span className="palette-description">{spec.description}</span>
    </li>
  );
}

export function Palette({ onAdd }: PaletteProps) {
  const modules = useCatalogStore((state) => state.modules);
  const error = useCatalogStore((state) => state.error);
  const [search, setSearch] = useState('');
  const [docsOf, showDocs] = useState<ModuleSpec | null>(null);
  const groups = useMemo(() => groupByCategory(modules, search), [modules, search]);
  return (
    <aside className="palette" aria-label="Modules">
      <input
        className="palette-search"
        type="search"
        placeholder="Search modules"
        aria-label="Search modules"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {error && <p className="error-text">Could not load modules: {error}</p>}
      <div className="palette-groups">
        <PaletteDatasets search={search} onAdd={onAdd} />
        <PalettePipelines search={search} />
        {groups.map(([category, specs]) => (
          <section key={category} className="palette-group">
            <h3>{category}</h3>
            <ul>
              {specs.map((spec) => (
                <PaletteItem key={moduleKey(spec.name, spec.version)} spec={spec} onAdd={onAdd} onDocs={showDocs} />
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 && modules.length > 0 && <p className="muted">No module matches “{search}”.</p>}
      </div>
      <p className="palette-hint muted">Drag a module onto the canvas, or double-click it.</p>
      {docsOf && <ModuleDocs spec={docsOf} onClose={() => showDocs(null)} />}
    </aside>
  );
}

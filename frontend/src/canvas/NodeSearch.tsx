/** Find modules on the canvas by name, module, comment or status, and notes by their text; Enter goes to the next match. */
import { useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { moduleKey, useCatalogStore } from '../catalog/catalogStore';
import { noteMatches } from '../notes/notes';
import { useRunStore } from '../run/runStore';
import { useCanvasStore } from './canvasStore';
import type { ModuleNode } from './graphFormat';

const NO_NODES: ModuleNode[] = [];

export function nodeMatches(node: ModuleNode, query: string, displayName: string, status: string): boolean {
  const comment = typeof node.data.extra.comment === 'string' ? node.data.extra.comment : '';
  const haystack = [node.id, node.data.module, displayName, comment, status].join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function NodeSearch() {
  const [query, setQuery] = useState('');
  // The match shown last; Enter goes to the next one, the first one first.
  const [index, setIndex] = useState(-1);
  const { fitView } = useReactFlow();
  // With no query it watches no nodes: a drag changes them on every frame.
  const searched = useCanvasStore((state) => (query.trim() ? state.nodes : NO_NODES));
  const modules = searched.filter((node) => {
    const spec = useCatalogStore.getState().byKey[moduleKey(node.data.module, node.data.version)];
    const status = useRunStore.getState().steps[node.id]?.status ?? '';
    return nodeMatches(node, query, spec?.display_name ?? '', status);
  });
  const notes = useCanvasStore((state) => state.notes).filter((note) => query.trim() && noteMatches(note, query));
  const matches = [...modules, ...notes];

  const goTo = (next: number) => {
    const target = matches[((next % matches.length) + matches.length) % matches.length];
    if (!target) return;
    setIndex(next);
    useCanvasStore.setState((state) => ({
      nodes: state.nodes.map((node) => ({ ...node, selected: node.id === target.id })),
      notes: state.notes.map((note) => ({ ...note, selected: note.id === target.id })),
    }));
    void fitView({ nodes: [{ id: target.id }], maxZoom: 1.2, duration: 250 });
  };

  return (
    <div className="node-search">
      <input
        type="search"
        aria-label="Find modules on the canvas"
        placeholder="Find on canvas…"
        data-testid="node-search"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setIndex(-1);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') goTo(index + (event.shiftKey ? -1 : 1));
          if (event.key === 'Escape') setQuery('');
        }}
      />
      {query.trim() && (
        <span className="muted" data-testid="node-search-count">
          {matches.length === 0 ? 'no match' : `${matches.length} match${matches.length > 1 ? 'es' : ''}`}
        </span>
      )}
    </div>
  );
}

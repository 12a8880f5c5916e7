/** "Save to gallery as module": the group's inner graph becomes the next version of a pipeline module. */
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../api/client';
import { useCatalogStore } from '../catalog/catalogStore';
import { showToast } from '../ui/toasts';
import type { GroupDocument } from './grouping';
import { usePipelineModules } from './pipelineModules';

function suggestedName(groupId: string, group: GroupDocument): string {
  const origin = group.from_module as { name?: string } | undefined;
  return origin?.name ?? groupId.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
}

export function SaveToGallery({ groupId, group }: { groupId: string; group: GroupDocument }) {
  const workspaceId = useCatalogStore((state) => state.workspaceId);
  const save = usePipelineModules((state) => state.save);
  const [name, setName] = useState(() => suggestedName(groupId, group));
  const [error, setError] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (workspaceId === null) return;
    setError('');
    save(workspaceId, name, group)
      .then((version) => showToast(`Saved to the gallery as ${name} version ${version}.`, 'info'))
      .catch((reason: unknown) => setError(errorMessage(reason)));
  };
  return (
    <form className="save-to-gallery" onSubmit={submit}>
      <label>
        Module name
        <input value={name} onChange={(event) => setName(event.target.value)} data-testid="group-module-name" />
      </label>
      <button type="submit" data-testid="group-save-to-gallery">
        Save to gallery as module
      </button>
      {error && <p className="error-text">{error}</p>}
    </form>
  );
}

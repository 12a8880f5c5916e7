/** One of the person's workspaces (name and their role in it), once the list has loaded. */
import type { Workspace } from '../api/types';
import { useFetched } from '../api/useFetched';

export function useWorkspace(workspaceId: number): Workspace | undefined {
  const workspaces = useFetched<Workspace[]>('/api/workspaces/');
  return workspaces.state === 'ready' ? workspaces.value.find((workspace) => workspace.id === workspaceId) : undefined;
}

/** The breadcrumb of a page inside a workspace: Workspaces › <workspace> › <page>. */
import type { Workspace } from '../api/types';
import { Link } from '../router';

export function WorkspaceSubpageTrail({
  workspaceId,
  workspace,
  page,
}: {
  workspaceId: number;
  workspace: Workspace | undefined;
  page: string;
}) {
  return (
    <>
      <Link to="/">Workspaces</Link>
      <span aria-hidden="true">›</span>
      <Link to={`/workspaces/${workspaceId}/`}>{workspace?.name ?? '…'}</Link>
      <span aria-hidden="true">›</span>
      <strong>{page}</strong>
    </>
  );
}

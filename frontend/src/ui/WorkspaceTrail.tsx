/** The header trail of a page inside a workspace: Workspaces › the workspace › this page. */
import { Link } from '../router';

export function WorkspaceTrail({ workspaceId, name, here }: { workspaceId: number; name?: string; here: string }) {
  return (
    <>
      <Link to="/">Workspaces</Link>
      <span aria-hidden="true">›</span>
      <Link to={`/workspaces/${workspaceId}/`}>{name ?? '…'}</Link>
      <span aria-hidden="true">›</span>
      <strong>{here}</strong>
    </>
  );
}

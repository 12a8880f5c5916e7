/** Who belongs to a workspace. The owner adds people, changes roles and removes them; others read. */
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { useActions } from '../api/useActions';
import type { Member, Role } from '../api/types';
import { AppHeader } from '../ui/AppHeader';
import { WorkspaceSubpageTrail } from './WorkspaceSubpageTrail';
import { useWorkspace } from './useWorkspace';

const ROLES: Role[] = ['owner', 'contributor', 'reader'];

function RoleSelect({ value, onChange, label }: { value: Role; onChange: (role: Role) => void; label: string }) {
  return (
    <select aria-label={label} value={value} onChange={(event) => onChange(event.target.value as Role)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role}
        </option>
      ))}
    </select>
  );
}

function AddMemberForm({ onAdd }: { onAdd: (username: string, role: Role) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('contributor');
  const add = async (event: FormEvent) => {
    event.preventDefault();
    await onAdd(username, role);
    setUsername('');
  };
  return (
    <form className="inline-form" onSubmit={add} data-testid="add-member-form">
      <input
        aria-label="Username"
        placeholder="Username"
        value={username}
        required
        onChange={(event) => setUsername(event.target.value)}
      />
      <RoleSelect label="Role for the new member" value={role} onChange={setRole} />
      <button type="submit" className="primary">
        Add member
      </button>
    </form>
  );
}

function useMembers(workspaceId: number) {
  const base = `/api/workspaces/${workspaceId}/members/`;
  const { value: members, error, act } = useActions<Member[]>(base);
  return {
    members,
    error,
    add: (username: string, role: Role) => act(() => api.post(base, { username, role })),
    changeRole: (username: string, role: Role) =>
      act(() => api.patch(`${base}${encodeURIComponent(username)}/`, { role })),
    remove: (username: string) => act(() => api.delete(`${base}${encodeURIComponent(username)}/`)),
  };
}

export function MembersPage({ workspaceId }: { workspaceId: number }) {
  const workspace = useWorkspace(workspaceId);
  const { members, error, add, changeRole, remove } = useMembers(workspaceId);
  const isOwner = workspace?.role === 'owner';
  return (
    <div className="page page-list">
      <AppHeader trail={<WorkspaceSubpageTrail workspaceId={workspaceId} workspace={workspace} page="Members" />} />
      <main className="content">
        <h1>Members</h1>
        {isOwner && <AddMemberForm onAdd={add} />}
        {error && (
          <p className="error-text" data-testid="members-error">
            {error}
          </p>
        )}
        <section className="card">
          {members === null ? (
            <p className="muted">Loading…</p>
          ) : (
            <table className="list-table" data-testid="members-table">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Role</th>
                  {isOwner && <th />}
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <tr key={member.username}>
                    <td>{member.username}</td>
                    <td>
                      {isOwner ? (
                        <RoleSelect
                          label={`Role of ${member.username}`}
                          value={member.role}
                          onChange={(role) => changeRole(member.username, role)}
                        />
                      ) : (
                        member.role
                      )}
                    </td>
                    {isOwner && (
                      <td>
                        <button type="button" className="link-button danger" onClick={() => remove(member.username)}>
                          Remove
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </main>
    </div>
  );
}

/** A workspace's gallery: its modules with their versions and statuses. Owners and contributors
 * publish (in a form or as a zip package), deprecate, disable and set the default; readers read. */
import { type ChangeEvent, useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../api/client';
import { useActions } from '../api/useActions';
import type { GalleryModule, GalleryVersion, VersionStatus } from '../api/types';
import { useCatalogStore } from '../catalog/catalogStore';
import { useWorkspace } from '../pages/useWorkspace';
import { AppHeader } from '../ui/AppHeader';
import { WorkspaceSubpageTrail } from '../pages/WorkspaceSubpageTrail';
import { ModuleForm } from './ModuleForm';
import { type ModuleDraft, draftFromVersion, emptyDraft } from './moduleDraft';

const STATUSES: VersionStatus[] = ['active', 'deprecated', 'disabled'];

interface Editing {
  draft: ModuleDraft;
  newVersionOf?: string;
}

function useGallery(workspaceId: number) {
  const base = `/api/workspaces/${workspaceId}/modules/`;
  const { value: modules, error, reload, act } = useActions<GalleryModule[]>(base);
  return { modules, error, reload, act, base };
}

function VersionRow({
  module,
  version,
  canEdit,
  act,
  base,
  onNewVersion,
}: {
  module: GalleryModule;
  version: GalleryVersion;
  canEdit: boolean;
  act: (request: () => Promise<unknown>) => Promise<void>;
  base: string;
  onNewVersion: (version: GalleryVersion) => void;
}) {
  const url = `${base}${module.name}/versions/${encodeURIComponent(version.version)}/`;
  const setStatus = (status: VersionStatus) => {
    const reason =
      status === 'active' ? '' : (window.prompt(`Why is version ${version.version} ${status}? (optional)`) ?? '');
    void act(() => api.patch(url, { status, reason }));
  };
  const isDefault = module.default_version === version.version;
  return (
    <tr data-testid={`version-${module.name}-${version.version}`} data-status={version.status}>
      <td>
        {version.version}
        {isDefault && <span className="palette-tag">default</span>}
      </td>
      <td>
        {canEdit ? (
          <select
            aria-label={`Status of ${module.name} version ${version.version}`}
            value={version.status}
            onChange={(e: ChangeEvent<HTMLSelectElement>) => setStatus(e.target.value as VersionStatus)}
          >
            {STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        ) : (
          version.status
        )}
        {version.status_reason && <div className="muted">{version.status_reason}</div>}
      </td>
      <td className="muted">
        {version.published_by ?? 'someone'}, {new Date(version.published_at).toLocaleString()}
        {version.has_bundle ? ' · with helper files' : ''}
      </td>
      <td>
        {canEdit && !isDefault && version.status !== 'disabled' && (
          <button
            type="button"
            className="link-button"
            onClick={() => void act(() => api.patch(`${base}${module.name}/`, { default_version: version.version }))}
          >
            Make default
          </button>
        )}
        {canEdit && version.spec.kind !== 'pipeline' /* a sub-pipeline's versions come from a canvas */ && (
          <button
            type="button"
            className="link-button"
            data-testid={`new-version-${module.name}-${version.version}`}
            onClick={() => onNewVersion(version)}
          >
            New version from this
          </button>
        )}
      </td>
    </tr>
  );
}

function PackageUpload({ workspaceId, onDone }: { workspaceId: number; onDone: (error: string) => void }) {
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const form = new FormData();
    form.append('package', file);
    try {
      await api.upload(`/api/workspaces/${workspaceId}/modules/upload/`, form);
      onDone('');
    } catch (reason) {
      onDone(errorMessage(reason));
    }
  };
  return (
    <label className="button">
      Upload package (.zip)
      <input
        type="file"
        accept=".zip,application/zip"
        className="visually-hidden"
        data-testid="package-upload"
        onChange={(e) => void upload(e)}
      />
    </label>
  );
}

export function GalleryPage({ workspaceId }: { workspaceId: number }) {
  const workspace = useWorkspace(workspaceId);
  const { modules, error, reload, act, base } = useGallery(workspaceId);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [uploadError, setUploadError] = useState('');
  const loadCatalog = useCatalogStore((state) => state.load);
  const portTypeTable = useCatalogStore((state) => state.portTypes);
  const portTypes = useMemo(() => Object.keys(portTypeTable), [portTypeTable]);
  useEffect(() => void loadCatalog(workspaceId), [loadCatalog, workspaceId]);
  const canEdit = workspace !== undefined && workspace.role !== 'reader';
  const newVersion = (module: GalleryModule) => async (version: GalleryVersion) => {
    const detail = await api.get<GalleryModule>(`${base}${module.name}/`); // with the code
    const full = detail.versions.find((candidate) => candidate.version === version.version) ?? version;
    setEditing({ draft: draftFromVersion(full), newVersionOf: module.name });
  };
  return (
    <div className="page page-list">
      <AppHeader trail={<WorkspaceSubpageTrail workspaceId={workspaceId} workspace={workspace} page="Modules" />} />
      <main className="content">
        <div className="content-header">
          <h1>Modules</h1>
          {canEdit && !editing && (
            <div className="header-links">
              <button type="button" className="primary" onClick={() => setEditing({ draft: emptyDraft() })}>
                New module
              </button>
              <PackageUpload
                workspaceId={workspaceId}
                onDone={(message) => {
                  setUploadError(message);
                  void reload();
                }}
              />
            </div>
          )}
        </div>
        {(error || uploadError) && (
          <p className="error-text" data-testid="gallery-error">
            {error || uploadError}
          </p>
        )}
        {editing && (
          <ModuleForm
            workspaceId={workspaceId}
            portTypes={portTypes.length > 0 ? portTypes : ['table']}
            initial={editing.draft}
            newVersionOf={editing.newVersionOf}
            onPublished={() => {
              setEditing(null);
              void reload();
            }}
            onCancel={() => setEditing(null)}
          />
        )}
        {modules === null && !error && <p className="muted">Loading…</p>}
        {modules?.length === 0 && (
          <p className="muted">No modules yet: publish one, and it appears in every pipeline's palette here.</p>
        )}
        {modules?.map((module) => (
          <section className="card gallery-module" key={module.id} data-testid={`gallery-${module.name}`}>
            <h2>
              {module.display_name} <code className="muted">{module.name}</code>
            </h2>
            <p className="muted">
              {module.category}
              {module.description ? ` · ${module.description}` : ''}
            </p>
            <table className="list-table">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Status</th>
                  <th>Published</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {module.versions.map((version) => (
                  <VersionRow
                    key={version.version}
                    module={module}
                    version={version}
                    canEdit={canEdit}
                    act={act}
                    base={base}
                    onNewVersion={(v) => void newVersion(module)(v)}
                  />
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </main>
    </div>
  );
}

/** A tiny router for the pages the Django shell serves. */
import { type MouseEvent, type ReactNode, useEffect, useState } from 'react';

export type Route =
  | { page: 'home' }
  | { page: 'workspace'; workspaceId: number }
  | { page: 'members'; workspaceId: number }
  | { page: 'compute'; workspaceId: number }
  | { page: 'gallery'; workspaceId: number }
  | { page: 'datasets'; workspaceId: number; datasetId: number | null }
  | { page: 'pipeline'; pipelineId: number }
  | { page: 'version'; pipelineId: number; number: number }
  | { page: 'compare'; pipelineId: number; base: string; head: string }
  | { page: 'run'; pipelineId: number; runId: number }
  | { page: 'run-compare'; pipelineId: number; runId: number; otherId: number }
  | { page: 'not-found' };

/** The read-only pages of a pipeline's history, after /pipelines/<id>/. */
function historyRoute(pipelineId: number, rest: string): Route | null {
  const version = /^versions\/(\d+)\/$/.exec(rest);
  if (version) return { page: 'version', pipelineId, number: Number(version[1]) };
  const compare = /^compare\/(draft|\d+)\/(draft|\d+)\/$/.exec(rest);
  if (compare) return { page: 'compare', pipelineId, base: compare[1] as string, head: compare[2] as string };
  const run = /^runs\/(\d+)\/(?:compare\/(\d+)\/)?$/.exec(rest);
  if (!run) return null;
  const runId = Number(run[1]);
  return run[2]
    ? { page: 'run-compare', pipelineId, runId, otherId: Number(run[2]) }
    : { page: 'run', pipelineId, runId };
}

export function parseRoute(path: string): Route {
  if (path === '/' || path === '') return { page: 'home' };
  const datasets = /^\/workspaces\/(\d+)\/datasets\/(?:(\d+)\/)?$/.exec(path);
  if (datasets) {
    return { page: 'datasets', workspaceId: Number(datasets[1]), datasetId: datasets[2] ? Number(datasets[2]) : null };
  }
  const workspace = /^\/workspaces\/(\d+)\/(?:(members|compute|modules)\/)?$/.exec(path);
  if (workspace) {
    const workspaceId = Number(workspace[1]);
    if (workspace[2] === 'modules') return { page: 'gallery', workspaceId };
    const page = (workspace[2] as 'members' | 'compute' | undefined) ?? 'workspace';
    return { page, workspaceId };
  }
  const pipeline = /^\/pipelines\/(\d+)\/(.*)$/.exec(path);
  if (!pipeline) return { page: 'not-found' };
  const pipelineId = Number(pipeline[1]);
  if (pipeline[2] === '') return { page: 'pipeline', pipelineId };
  return historyRoute(pipelineId, pipeline[2] as string) ?? { page: 'not-found' };
}

const NAVIGATED = 'trellis:navigated';

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATED));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return route;
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={follow} className={className}>
      {children}
    </a>
  );
}

import { CanvasPage } from './canvas/CanvasPage';
import { ComparePage } from './history/ComparePage';
import { RunComparePage } from './history/RunComparePage';
import { RunPage } from './history/RunPage';
import { VersionPage } from './history/VersionPage';
import { ComputeTargetsPage } from './pages/ComputeTargetsPage';
import { DatasetsPage } from './datasets/DatasetsPage';
import { GalleryPage } from './gallery/GalleryPage';
import { HomePage } from './pages/HomePage';
import { MembersPage } from './pages/MembersPage';
import { WorkspacePage } from './pages/WorkspacePage';
import { Link, useRoute } from './router';
import { Toasts } from './ui/toasts';

function CurrentPage() {
  const route = useRoute();
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'workspace':
      return <WorkspacePage key={route.workspaceId} workspaceId={route.workspaceId} />;
    case 'members':
      return <MembersPage key={route.workspaceId} workspaceId={route.workspaceId} />;
    case 'gallery':
      return <GalleryPage key={route.workspaceId} workspaceId={route.workspaceId} />;
    case 'compute':
      return <ComputeTargetsPage key={route.workspaceId} workspaceId={route.workspaceId} />;
    case 'datasets':
      return <DatasetsPage key={route.workspaceId} workspaceId={route.workspaceId} datasetId={route.datasetId} />;
    case 'pipeline':
      return <CanvasPage key={route.pipelineId} pipelineId={route.pipelineId} />;
    case 'version':
      return <VersionPage key={`${route.pipelineId}/${route.number}`} {...route} />;
    case 'compare':
      return <ComparePage key={`${route.pipelineId}/${route.base}/${route.head}`} {...route} />;
    case 'run':
      return <RunPage key={`${route.pipelineId}/${route.runId}`} {...route} />;
    case 'run-compare':
      return <RunComparePage key={`${route.pipelineId}/${route.runId}/${route.otherId}`} {...route} />;
    case 'not-found':
      return (
        <div className="page page-message">
          <p>
            There is no page here. <Link to="/">Back to your workspaces</Link>
          </p>
        </div>
      );
  }
}

export function App() {
  return (
    <>
      <CurrentPage />
      <Toasts />
    </>
  );
}

/** Messages across the top of the canvas: problems of the whole graph, and a save conflict. */
import { useCanvasStore } from './canvasStore';
import { useSaveStore } from './draftSaver';

export function GraphProblems() {
  const problems = useCanvasStore((state) => state.problems);
  const general = problems.filter((problem) => !problem.node);
  if (general.length === 0) return null;
  return (
    <div className="banner banner-warning" data-testid="graph-problems">
      {general.map((problem, index) => (
        <div key={index}>{problem.message}</div>
      ))}
    </div>
  );
}

export function ConflictBanner() {
  const message = useSaveStore((state) => (state.status === 'conflict' ? state.message : ''));
  if (!message) return null;
  return (
    <div className="banner banner-error" data-testid="conflict-banner">
      {message}{' '}
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

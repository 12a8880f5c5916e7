/** The watched run's number and status. */
import { useRunStore } from './runStore';

export function RunStatusBadge() {
  const run = useRunStore((state) => state.run);
  if (!run) return null;
  return (
    <span className={`run-badge run-${run.status}`} data-testid="run-status" data-state={run.status} title={run.error}>
      Run #{run.number}: {run.status}
    </span>
  );
}

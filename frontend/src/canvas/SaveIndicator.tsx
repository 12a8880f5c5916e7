/** Saving…, Saved, or what went wrong. */
import { useSaveStore } from './draftSaver';

const LABELS = {
  saved: 'Saved',
  pending: 'Unsaved changes',
  saving: 'Saving…',
  conflict: 'Conflict',
  error: 'Not saved',
} as const;

export function SaveIndicator() {
  const status = useSaveStore((state) => state.status);
  const message = useSaveStore((state) => state.message);
  return (
    <span className={`save-indicator save-${status}`} data-testid="save-status" data-state={status} title={message}>
      {LABELS[status]}
    </span>
  );
}

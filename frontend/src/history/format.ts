/** Words and numbers for the history panels: times, durations, run options, changed values. */
import type { VersionSummary } from './types';

export function formatWhen(timestamp: string | null): string {
  if (!timestamp) return '—';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "up to split, regenerate" for a run's options; "" for a plain run. */
export function describeOptions(options: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof options.up_to === 'string') parts.push(`up to ${options.up_to}`);
  if (typeof options.from === 'string') parts.push(`from ${options.from}`);
  if (options.regenerate === true) parts.push('regenerate');
  if (options.continue_on_failure === true) parts.push('continue on failure');
  if (typeof options.retry_of === 'number') parts.push('retry');
  return parts.join(', ');
}

/** A parameter's value as a person reads it in "old → new". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(not set)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => formatValue(item)).join(', ') || '(none)';
  return JSON.stringify(value);
}

export function formatMetric(value: number | null): string {
  if (value === null) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

/** What made a version: a message, a run, or a restore. */
export function versionTitle(version: VersionSummary): string {
  if (version.message) return version.message;
  if (version.made_by_run !== null) return `Made by run ${version.made_by_run}`;
  return 'Untitled version';
}

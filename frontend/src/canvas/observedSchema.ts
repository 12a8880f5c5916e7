/** Columns seen in a run rather than stated by a module: the hint a column picker shows about them. */
import type { TableSchema } from '../api/types';

/** "columns as observed in run 12", saying so when the node (or one above it) changed since; null when
 * the columns are stated by the modules or unknown. */
export function observedHint(schema: TableSchema | null | undefined): string | null {
  const observed = schema?.observed;
  if (!observed) return null;
  const hint = `columns as observed in run ${observed.run}`;
  return observed.current ? hint : `${hint}; the pipeline changed since, so run it to be sure`;
}

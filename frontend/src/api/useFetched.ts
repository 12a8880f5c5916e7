/** Loads JSON for a key and reloads when the key changes; stale answers are dropped. */
import { useEffect, useState } from 'react';
import { api, errorMessage } from './client';

export type Fetched<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: T };

export function useFetched<T>(url: string | null, refreshKey: unknown = null): Fetched<T> {
  const [fetched, setFetched] = useState<Fetched<T>>({ state: 'loading' });
  useEffect(() => {
    if (url === null) return;
    let current = true;
    setFetched({ state: 'loading' });
    api
      .get<T>(url)
      .then((value) => current && setFetched({ state: 'ready', value }))
      .catch((error: unknown) => current && setFetched({ state: 'error', message: errorMessage(error) }));
    return () => {
      current = false;
    };
  }, [url, refreshKey]);
  return fetched;
}

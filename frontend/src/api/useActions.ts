/** JSON loaded from a URL, with actions that change it: each action runs, then the JSON reloads;
 * a failure of either is kept as a message for the page to show. */
import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from './client';

export function useActions<T>(url: string) {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(
    () => api.get<T>(url).then(setValue, (reason: unknown) => setError(errorMessage(reason))),
    [url],
  );
  useEffect(() => void reload(), [reload]);
  const act = async (request: () => Promise<unknown>) => {
    try {
      setError('');
      await request();
      await reload();
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };
  return { value, error, reload, act };
}

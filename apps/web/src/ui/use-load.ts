/** Load data for a component: `{ data, error, loading, reload }`, cancelled when the component goes away. */
import { useCallback, useEffect, useState } from 'react';
import { explain } from '../app/api.ts';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const run = useCallback(load, deps);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    run(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(explain(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [run, version]);

  return { data, error, loading, reload: () => setVersion((v) => v + 1) };
}

import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';

/** Marks queries stale (refetching the ones on screen); keys come from `queryKeys`. */
export function useInvalidate(): (...keys: readonly QueryKey[]) => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async (...keys: readonly QueryKey[]) => {
    await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  }, [queryClient]);
}

import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Page } from '@tierlink/contract';
import { useState } from 'react';
import type { PagerProps } from './page.tsx';

export interface Paged<T> {
  query: UseQueryResult<Page<T>>;
  items: T[];
  pager: PagerProps;
}

/**
 * One page of a cursor-paged list. `key` identifies the list and its filters; a new key starts
 * again from the first page. Earlier cursors are kept so that "Previous" works.
 */
export function usePaged<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
  /** Reload the page shown every so many milliseconds while it returns a number (e.g. while work is pending). */
  refetchInterval?: (page: Page<T> | undefined) => number | false,
): Paged<T> {
  const keyText = JSON.stringify(key);
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: keyText, cursors: [undefined] });
  // Derived reset (no effect): a new filter means page one.
  const cursors = state.key === keyText ? state.cursors : [undefined];
  if (state.key !== keyText) setState({ key: keyText, cursors });
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, { cursor }],
    queryFn: ({ signal }) => fetchPage(cursor, signal),
    placeholderData: keepPreviousData,
    refetchInterval: refetchInterval === undefined ? false : (q) => refetchInterval(q.state.data),
  });
  const next = query.data?.nextCursor ?? null;
  return {
    query,
    items: query.data?.items ?? [],
    pager: {
      page: cursors.length,
      hasPrevious: cursors.length > 1,
      hasNext: next !== null,
      busy: query.isFetching,
      onPrevious: () => setState({ key: keyText, cursors: cursors.slice(0, -1) }),
      onNext: () => {
        if (next !== null) setState({ key: keyText, cursors: [...cursors, next] });
      },
    },
  };
}

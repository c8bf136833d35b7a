import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Enrollment } from '@tierlink/client';
import { useCallback } from 'react';
import { api } from '../api.ts';
import { queryKeys } from './keys.ts';

/** The organization's own enrollments, one per program. */
export function useOwnEnrollments() {
  return useQuery({ queryKey: queryKeys.enrollments.own, queryFn: ({ signal }) => api.listOwnEnrollments({ signal }) });
}

/** Puts a submitted enrollment into the own list, in place of an earlier one for its program. */
export function useRememberEnrollment(): (enrollment: Enrollment) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (enrollment: Enrollment) =>
      queryClient.setQueryData<{ items: Enrollment[] }>(queryKeys.enrollments.own, (old) => ({
        items: [...(old?.items ?? []).filter((e) => e.program !== enrollment.program), enrollment],
      })),
    [queryClient],
  );
}

/**
 * Whether this enrollment's email was verified from this page: a flag kept in the cache only
 * (never fetched), so that dropping the token from the address keeps the answer on screen.
 */
export function useEmailVerified(enrollmentId: string): [boolean, () => void] {
  const queryClient = useQueryClient();
  const key = queryKeys.verifiedEmail(enrollmentId);
  const done = useQuery({ queryKey: key, queryFn: () => false, enabled: false, staleTime: Infinity }).data === true;
  return [done, () => queryClient.setQueryData(key, true)];
}

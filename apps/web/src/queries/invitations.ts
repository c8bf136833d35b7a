import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AcceptedInvitation, InvitationPreview } from '@tierlink/client';
import { api } from '../api.ts';
import { queryKeys } from './keys.ts';

export type InvitationOutcome = { kind: 'accepted'; preview: InvitationPreview; result: AcceptedInvitation } | { kind: 'declined'; preview: InvitationPreview };

/**
 * What became of an invitation decided on this page: kept in the cache only (never fetched), so
 * that dropping the token from the address keeps it on screen. Recording it drops the preview.
 */
export function useInvitationOutcome(id: string): [InvitationOutcome | null, (outcome: InvitationOutcome) => void] {
  const queryClient = useQueryClient();
  const key = queryKeys.invitation.outcome(id);
  const outcome = useQuery<InvitationOutcome | null>({ queryKey: key, queryFn: () => null, enabled: false, staleTime: Infinity }).data ?? null;
  return [
    outcome,
    (next) => {
      queryClient.setQueryData(key, next);
      queryClient.removeQueries({ queryKey: queryKeys.invitation.preview(id) });
    },
  ];
}

/** What the invitation link shows before deciding; it does not change while the page is open. */
export function useInvitationPreview(id: string, token: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.invitation.preview(id, token ?? ''),
    queryFn: ({ signal }) => api.getInvitation({ id, query: { token: token ?? '' }, signal }),
    enabled: token !== undefined && enabled,
    staleTime: Infinity,
  });
}

/** After accepting, every cached partner, customer and grant is stale; the outcome itself is not. */
export function useInvalidateAfterAccept(): () => Promise<void> {
  const queryClient = useQueryClient();
  const outcome = queryKeys.invitation.outcome('')[0];
  return () => queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== outcome });
}

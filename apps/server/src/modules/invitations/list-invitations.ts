import type { InvitationState } from '@tierlink/contract';
import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { invitationSortValue, listSentInvitations, type InvitationSortKey, type InvitationView } from './invitations.repository.ts';

/** Invitations the caller's organization sent, in the order asked (newest first by default). */
export async function listInvitations(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string | undefined; state?: InvitationState | undefined; email?: string | undefined; sort?: InvitationSortKey; order?: 'asc' | 'desc' },
): Promise<{ items: InvitationView[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const sort = query.sort ?? 'createdAt';
  const rows = await listSentInvitations(ctx.tx, ctx.actor.organizationId, {
    limit: query.limit,
    after,
    state: query.state,
    email: query.email,
    sort,
    order: query.order ?? 'desc',
    now: ctx.clock.now(),
  });
  return toPage(rows, query.limit, (v) => [invitationSortValue(v.invitation, sort), v.invitation.id]);
}

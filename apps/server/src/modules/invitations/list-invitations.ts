import type { InvitationState } from '@tierlink/contract';
import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listSentInvitations, type InvitationView } from './invitations.repository.ts';

/** Invitations the caller's organization sent, newest first. */
export async function listInvitations(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string; state?: InvitationState },
): Promise<{ items: InvitationView[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listSentInvitations(ctx.tx, ctx.actor.organizationId, { limit: query.limit, after, state: query.state, now: ctx.clock.now() });
  return toPage(rows, query.limit, (v) => [v.invitation.createdAt.toISOString(), v.invitation.id]);
}

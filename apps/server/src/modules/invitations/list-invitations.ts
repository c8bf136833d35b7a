import type { InvitationState, ListCount } from '@tierlink/contract';
import { decodeSortedCursor, toPage } from '../../platform/cursor.ts';
import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { countSentInvitations, invitationSortValue, listSentInvitations, type InvitationSortKey, type InvitationView } from './invitations.repository.ts';

export interface InvitationListFilter {
  state?: InvitationState | undefined;
  email?: string | undefined;
  sort?: InvitationSortKey | undefined;
  order?: 'asc' | 'desc' | undefined;
}

const tagOf = (sort: InvitationSortKey, order: 'asc' | 'desc') => `${sort}:${order}`;

/** Invitations the caller's organization sent, in the order asked (newest first by default). */
export async function listInvitations(
  ctx: UseCaseContext,
  query: InvitationListFilter & { limit: number; cursor?: string | undefined; count?: 'true' | 'false' | undefined },
): Promise<{ items: InvitationView[]; nextCursor: string | null; count: ListCount | null }> {
  const sort = query.sort ?? 'createdAt';
  const order = query.order ?? 'desc';
  const after = decodeSortedCursor(query.cursor, tagOf(sort, order), sort === 'email' ? 'text' : 'timestamptz');
  const filter = { state: query.state, email: query.email, now: ctx.clock.now() };
  const rows = await listSentInvitations(ctx.tx, ctx.actor.organizationId, { ...filter, limit: query.limit, after, sort, order });
  const page = toPage(rows, query.limit, (v) => [tagOf(sort, order), invitationSortValue(v.invitation, sort), v.invitation.id]);
  const count = query.count === 'true' ? await countSentInvitations(ctx.tx, ctx.actor.organizationId, filter) : null;
  return { ...page, count };
}

/** Every invitation the filter keeps, in the order asked, in keyset batches: the CSV export streams them. */
export function exportInvitations(ctx: UseCaseContext, query: InvitationListFilter): AsyncGenerator<InvitationView[]> {
  const sort = query.sort ?? 'createdAt';
  const order = query.order ?? 'desc';
  const filter = { state: query.state, email: query.email, now: ctx.clock.now() };
  return keysetBatches<InvitationView>((last) =>
    listSentInvitations(ctx.tx, ctx.actor.organizationId, {
      ...filter,
      limit: exportBatch - 1,
      after: last === null ? null : [invitationSortValue(last.invitation, sort), last.invitation.id],
      sort,
      order,
    }),
  );
}

import type { InvitationState, ListCount } from '@tierlink/contract';
import { decodeSortCursor, toSortedPage } from '../../platform/sorted-keyset.ts';
import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { countSentInvitations, invitationSortKey, invitationSortValue, listSentInvitations, type InvitationSortKey, type InvitationView } from './invitations.repository.ts';

export interface InvitationListFilter {
  state?: InvitationState | undefined;
  email?: string | undefined;
  sort?: InvitationSortKey | undefined;
  order?: 'asc' | 'desc' | undefined;
}

/** Invitations the caller's organization sent, in the order asked (newest first by default). */
export async function listInvitations(
  ctx: UseCaseContext,
  query: InvitationListFilter & { limit: number; cursor?: string | undefined; count?: 'true' | 'false' | undefined },
): Promise<{ items: InvitationView[]; nextCursor: string | null; count: ListCount | null }> {
  const sort = query.sort ?? 'createdAt';
  const order = query.order ?? 'desc';
  const after = decodeSortCursor(query.cursor, sort, order, invitationSortKey(sort));
  const filter = { state: query.state, email: query.email, now: ctx.clock.now() };
  const rows = await listSentInvitations(ctx.tx, ctx.actor.organizationId, { ...filter, limit: query.limit, after, sort, order });
  const page = toSortedPage(rows, query.limit, sort, order, (v) => ({ values: [invitationSortValue(v.invitation, sort)], id: v.invitation.id }));
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
      after: last === null ? null : { values: [invitationSortValue(last.invitation, sort)], id: last.invitation.id },
      sort,
      order,
    }),
  );
}

import type { CountedPage, SubscriptionSort, SubscriptionStatus } from '@tierlink/contract';
import { decodeSortCursor, encodeSortCursor } from '../../platform/sorted-keyset.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import {
  countPartnerSubscriptions,
  listPartnerSubscriptionViews,
  subscriptionSortKeys,
  subscriptionSortValues,
  type PartnerListFilter,
  type PartnerSubscriptionView,
} from './commerce.repository.ts';

export type PartnerSubscriptionFilter = PartnerListFilter & { status?: SubscriptionStatus | undefined; sort: SubscriptionSort; order: 'asc' | 'desc' };

/**
 * The subscriptions the caller's organization is provider or reseller of record of, across the
 * customers it has an active relationship with (as the customer page shows them), sorted, filtered
 * and paged by the server; `count` asks for how many the filter matches.
 */
export async function listPartnerSubscriptions(
  ctx: UseCaseContext,
  query: PartnerSubscriptionFilter & { limit: number; cursor?: string | undefined; count?: boolean },
): Promise<CountedPage<PartnerSubscriptionView>> {
  const { sort, order, limit } = query;
  const after = decodeSortCursor(query.cursor, sort, order, subscriptionSortKeys[sort]);
  const partnerId = ctx.actor.organizationId;
  const [rows, count] = await Promise.all([
    listPartnerSubscriptionViews(ctx.tx, partnerId, query, { sort, order, after, limit }),
    query.count === true ? countPartnerSubscriptions(ctx.tx, partnerId, query) : null,
  ]);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeSortCursor(sort, order, subscriptionSortValues(last, sort), last.subscription.id) : null;
  return { items, nextCursor, count };
}

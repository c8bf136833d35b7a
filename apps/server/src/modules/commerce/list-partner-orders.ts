import type { CountedPage, OrderSort, OrderState } from '@tierlink/contract';
import { decodeSortCursor, encodeSortCursor } from '../../platform/sorted-keyset.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { countPartnerOrders, listPartnerOrderViews, orderSortKeys, orderSortValues, type PartnerListFilter, type PartnerOrderView } from './commerce.repository.ts';

export type PartnerOrderFilter = PartnerListFilter & { state?: OrderState | undefined; sort: OrderSort; order: 'asc' | 'desc' };

/**
 * The orders the caller's organization is provider or reseller of record of, across the customers
 * it has an active relationship with, sorted, filtered and paged by the server.
 */
export async function listPartnerOrders(
  ctx: UseCaseContext,
  query: PartnerOrderFilter & { limit: number; cursor?: string | undefined; count?: boolean },
): Promise<CountedPage<PartnerOrderView>> {
  const { sort, order, limit } = query;
  const after = decodeSortCursor(query.cursor, sort, order, orderSortKeys[sort]);
  const partnerId = ctx.actor.organizationId;
  const [rows, count] = await Promise.all([
    listPartnerOrderViews(ctx.tx, partnerId, query, { sort, order, after, limit }),
    query.count === true ? countPartnerOrders(ctx.tx, partnerId, query) : null,
  ]);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeSortCursor(sort, order, orderSortValues(last, sort), last.order.id) : null;
  return { items, nextCursor, count };
}

import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listPartnerOrderViews, orderSortValues, type PartnerOrderView } from './commerce.repository.ts';
import type { PartnerOrderFilter } from './list-partner-orders.ts';

/** Every order the list's filter shows, in the list's order, in keyset batches (no row cap). */
export function exportPartnerOrders(ctx: UseCaseContext, filter: PartnerOrderFilter): AsyncGenerator<PartnerOrderView[]> {
  const { sort, order } = filter;
  const partnerId = ctx.actor.organizationId;
  return keysetBatches((last: PartnerOrderView | null) =>
    listPartnerOrderViews(ctx.tx, partnerId, filter, {
      sort,
      order,
      after: last === null ? null : { values: orderSortValues(last, sort), id: last.order.id },
      limit: exportBatch - 1,
    }),
  );
}

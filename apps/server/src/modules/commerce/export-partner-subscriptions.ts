import { exportBatch, keysetBatches } from '../../platform/http/csv-response.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listPartnerSubscriptionViews, subscriptionSortValues, type PartnerSubscriptionView } from './commerce.repository.ts';
import type { PartnerSubscriptionFilter } from './list-partner-subscriptions.ts';

/**
 * Every subscription the list's filter shows, in the list's order, one keyset batch per statement
 * (a read, no transaction): the CSV export streams them with no row cap.
 */
export function exportPartnerSubscriptions(ctx: UseCaseContext, filter: PartnerSubscriptionFilter): AsyncGenerator<PartnerSubscriptionView[]> {
  const { sort, order } = filter;
  const partnerId = ctx.actor.organizationId;
  return keysetBatches((last: PartnerSubscriptionView | null) =>
    listPartnerSubscriptionViews(ctx.tx, partnerId, filter, {
      sort,
      order,
      after: last === null ? null : { values: subscriptionSortValues(last, sort), id: last.subscription.id },
      // The page reads limit + 1 rows; keysetBatches takes the first exportBatch and goes on after them.
      limit: exportBatch - 1,
    }),
  );
}

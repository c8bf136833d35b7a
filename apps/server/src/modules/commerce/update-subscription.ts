import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { patchSubscription, type SubscriptionView } from './commerce.repository.ts';

/**
 * Changes seats or status under optimistic concurrency: `ifMatch` must name the version the caller
 * read (428 without it, 412 when stale), so two agents never overwrite each other's change.
 *
 * One statement checks, locks and writes (`patchSubscription`); it writes only when every check
 * below passes, and returns what they read, so the refusals and their order are those of the
 * checks: the customer (404), the subscription (404), If-Match (428, 412), the SKU's bounds (422),
 * the seats assigned (409). The same statement writes the audit record and its event
 * (`auditedChange`), so that the patch route runs it alone, in autocommit (`runOneStatement`).
 */
export async function updateSubscription(
  ctx: UseCaseContext,
  customerId: string,
  id: string,
  input: { quantity?: number | undefined; status?: 'active' | 'suspended' | undefined },
  ifMatch: string | undefined,
): Promise<SubscriptionView> {
  const stamp = ctx.audit.stamp(1);
  const result = await patchSubscription(ctx.tx, stamp, {
    partnerId: ctx.actor.organizationId,
    customerId,
    id,
    ifMatch: ifMatch ?? null,
    quantity: input.quantity ?? null,
    status: input.status ?? null,
  });
  if (!result.related) throw notFound('customer');
  // Absent, or not one the caller is provider or reseller of record of.
  if (result.locked === null) throw notFound('subscription');
  const { subscription, sku, assigned } = result.locked;
  if (ifMatch === undefined) throw new AppError('precondition_required', 'Send If-Match with the ETag you read.');
  if (ifMatch !== etagOf(subscription.version)) {
    throw new AppError('precondition_failed', 'The subscription changed since you read it; reload and retry.');
  }
  if (input.quantity !== undefined) {
    if (sku === null) throw notFound('SKU');
    if (input.quantity < sku.minQuantity || input.quantity > sku.maxQuantity) {
      throw new AppError('quantity_out_of_range', `${sku.name} is sold in quantities of ${sku.minQuantity} to ${sku.maxQuantity}.`, 'quantity');
    }
    if (input.quantity < assigned) {
      throw new AppError('seats_in_use', `${assigned} licenses are assigned; remove some before lowering the quantity.`, 'quantity');
    }
  }
  // Every check passed on the locked row, so the statement wrote (its audit record too).
  const updated = result.updated;
  if (updated === null) throw new Error('the subscription patch passed its checks but wrote nothing');
  return updated;
}

/** Strong ETag of a subscription version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

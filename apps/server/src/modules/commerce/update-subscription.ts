import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { hasActiveRelationship } from '../customers/index.ts';
import { isSubscriptionParty } from './commerce.policy.ts';
import { lockSubscription } from './commerce.queries.ts';
import { countAssignments, findSkus, findSubscriptionView, updateSubscriptionIfVersion, type SubscriptionView } from './commerce.repository.ts';

/**
 * Changes seats or status under optimistic concurrency: `ifMatch` must name the version the caller
 * read (428 without it, 412 when stale), so two agents never overwrite each other's change.
 */
export async function updateSubscription(
  ctx: UseCaseContext,
  customerId: string,
  id: string,
  input: { quantity?: number | undefined; status?: 'active' | 'suspended' | undefined },
  ifMatch: string | undefined,
): Promise<SubscriptionView> {
  if (!(await hasActiveRelationship(ctx.tx, ctx.actor.organizationId, customerId))) throw notFound('customer');
  const subscription = await lockSubscription(ctx.tx, customerId, id);
  if (subscription === undefined || !isSubscriptionParty(ctx.actor, subscription)) throw notFound('subscription');
  if (ifMatch === undefined) throw new AppError('precondition_required', 'Send If-Match with the ETag you read.');
  if (ifMatch !== etagOf(subscription.version)) {
    throw new AppError('precondition_failed', 'The subscription changed since you read it; reload and retry.');
  }
  if (input.quantity !== undefined) {
    const [sku] = await findSkus(ctx.tx, [subscription.skuId]);
    if (sku === undefined) throw notFound('SKU');
    if (input.quantity < sku.minQuantity || input.quantity > sku.maxQuantity) {
      throw new AppError('quantity_out_of_range', `${sku.name} is sold in quantities of ${sku.minQuantity} to ${sku.maxQuantity}.`, 'quantity');
    }
    const assigned = await countAssignments(ctx.tx, id);
    if (input.quantity < assigned) {
      throw new AppError('seats_in_use', `${assigned} licenses are assigned; remove some before lowering the quantity.`, 'quantity');
    }
  }
  const updated = await updateSubscriptionIfVersion(ctx.tx, id, subscription.version, {
    ...(input.quantity === undefined ? {} : { quantity: input.quantity }),
    ...(input.status === undefined ? {} : { status: input.status }),
    updatedAt: ctx.clock.now(),
  });
  if (updated === undefined) throw new AppError('precondition_failed', 'The subscription changed since you read it; reload and retry.');
  await ctx.audit.record({
    action: 'subscription.updated',
    target: { type: 'subscription', id },
    organizationIds: [customerId, subscription.providerOrganizationId, ...(subscription.resellerOrganizationId === null ? [] : [subscription.resellerOrganizationId])],
    before: { quantity: subscription.quantity, status: subscription.status },
    after: { quantity: updated.quantity, status: updated.status },
  });
  const view = await findSubscriptionView(ctx.tx, customerId, id);
  if (view === undefined) throw notFound('subscription');
  return view;
}

/** Strong ETag of a subscription version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

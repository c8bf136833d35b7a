import { AppError, notFound } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { lockSubscription } from '../commerce/index.ts';
import { findOrganizationUser } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';
import { countAssignments, insertAssignment } from './customer-admin.repository.ts';

/**
 * Assigns one seat of a subscription to a user. The subscription row is locked while seats are
 * counted, so concurrent assignments never exceed the quantity.
 */
export async function assignLicense(ctx: UseCaseContext, customerId: string, userId: string, subscriptionId: string): Promise<void> {
  const { onBehalfOf } = await authorizeDelegatedAdmin(ctx, customerId, 'license_admin');
  const user = await findOrganizationUser(ctx.tx, customerId, userId);
  if (user === undefined) throw notFound('user');
  const subscription = await lockSubscription(ctx.tx, customerId, subscriptionId);
  if (subscription === undefined) throw new AppError('validation_failed', 'No such subscription in this organization.', 'subscriptionId');
  if (subscription.status !== 'active') throw new AppError('conflict', 'The subscription is suspended.', 'subscriptionId');
  if ((await countAssignments(ctx.tx, subscriptionId)) >= subscription.quantity) {
    throw new AppError('seats_exhausted', `All ${subscription.quantity} seats of this subscription are assigned.`, 'subscriptionId');
  }
  const created = await insertAssignment(ctx.tx, { id: newTimeOrderedId(), organizationId: customerId, subscriptionId, userId, createdAt: ctx.clock.now() });
  if (created === undefined) return;
  await ctx.audit.record({
    action: 'license.assigned',
    target: { type: 'user', id: userId },
    organizationIds: [customerId, ctx.actor.organizationId],
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
    after: { subscriptionId },
  });
}

import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganizationUser } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';
import { deleteAssignment } from './customer-admin.repository.ts';

export async function removeLicense(ctx: UseCaseContext, customerId: string, userId: string, subscriptionId: string): Promise<void> {
  const { onBehalfOf } = await authorizeDelegatedAdmin(ctx, customerId, 'license_admin');
  if ((await findOrganizationUser(ctx.tx, customerId, userId)) === undefined) throw notFound('user');
  if ((await deleteAssignment(ctx.tx, subscriptionId, userId)) === undefined) throw notFound('license');
  await ctx.audit.record({
    action: 'license.removed',
    target: { type: 'user', id: userId },
    organizationIds: [customerId, ctx.actor.organizationId],
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
    before: { subscriptionId },
  });
}

import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findOrganizationUser, issueTemporaryPassword } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';

/** A generated temporary password (never one the admin chooses); the user's sessions end. */
export async function resetCustomerPassword(ctx: UseCaseContext, customerId: string, userId: string): Promise<string> {
  const { onBehalfOf } = await authorizeDelegatedAdmin(ctx, customerId, 'helpdesk');
  const user = await findOrganizationUser(ctx.tx, customerId, userId);
  if (user === undefined) throw notFound('user');
  // A global admin's password is reset only by a global admin of that organization: a delegated
  // helpdesk (or the customer's user admin) would otherwise take its top account over (AUTHZ-03).
  if (user.roles.includes('global_admin') && !(ctx.actor.organizationId === customerId && ctx.actor.roles.includes('global_admin'))) {
    throw new AppError('role_ceiling', 'Only the organization\'s global admins reset a global admin\'s password.');
  }
  const password = await issueTemporaryPassword(ctx, user.id);
  await ctx.audit.record({
    action: 'user.password_reset',
    target: { type: 'user', id: user.id },
    organizationIds: [customerId, ctx.actor.organizationId],
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
  });
  return password;
}

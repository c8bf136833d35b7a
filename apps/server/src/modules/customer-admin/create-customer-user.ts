import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { provisionUser } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';
import type { CustomerUserView } from './list-customer-users.ts';

/** Adds a user (no admin roles) to the customer's organization; the first sign-in must change the password. */
export async function createCustomerUser(
  ctx: UseCaseContext,
  customerId: string,
  input: { displayName: string; email: string },
): Promise<{ view: CustomerUserView; temporaryPassword: string }> {
  const { onBehalfOf } = await authorizeDelegatedAdmin(ctx, customerId, 'user_admin');
  const { user, temporaryPassword } = await provisionUser(ctx, { organizationId: customerId, email: input.email, displayName: input.displayName, roles: [] });
  await ctx.audit.record({
    action: 'user.created',
    target: { type: 'user', id: user.id },
    organizationIds: [customerId, ctx.actor.organizationId],
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
    after: { email: user.email, displayName: user.displayName },
  });
  return { view: { user, licenses: [] }, temporaryPassword };
}

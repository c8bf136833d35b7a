import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { newTemporaryPassword } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findUserByEmail, insertUser, temporaryPasswordLifetimeMs } from '../identity/index.ts';
import { authorizeDelegatedAdmin } from './authorize-delegated-admin.ts';
import type { CustomerUserView } from './list-customer-users.ts';

/** Adds a user (no admin roles) to the customer's organization; the first sign-in must change the password. */
export async function createCustomerUser(
  ctx: UseCaseContext,
  customerId: string,
  input: { displayName: string; email: string },
): Promise<{ view: CustomerUserView; temporaryPassword: string }> {
  const { onBehalfOf } = await authorizeDelegatedAdmin(ctx, customerId, 'user_admin');
  if ((await findUserByEmail(ctx.tx, input.email)) !== undefined) {
    throw new AppError('email_taken', 'A user with this email already exists.', 'email');
  }
  const password = newTemporaryPassword();
  const now = ctx.clock.now();
  const user = await insertUser(ctx.tx, {
    id: newId(),
    organizationId: customerId,
    email: input.email,
    displayName: input.displayName,
    passwordHash: await hashPassword(password),
    roles: [],
    status: 'active',
    mustChangePassword: true,
    temporaryPasswordExpiresAt: new Date(now.getTime() + temporaryPasswordLifetimeMs),
    createdAt: now,
  });
  await ctx.audit.record({
    action: 'user.created',
    target: { type: 'user', id: user.id },
    organizationIds: [customerId, ctx.actor.organizationId],
    ...(onBehalfOf === undefined ? {} : { onBehalfOf }),
    after: { email: user.email, displayName: user.displayName },
  });
  return { view: { user, licenses: [] }, temporaryPassword: password };
}

import type { Role } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { newTemporaryPassword } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findUserByEmail, insertUser, type UserRow } from './identity.repository.ts';
import { mayManageUser, temporaryPasswordLifetimeMs } from './identity.policy.ts';

/**
 * Add user (seed: "Add a new user"): email unique across the system, agent and admin roles, and a
 * generated temporary password that is returned exactly once and must be changed at first sign-in.
 */
export async function addUser(
  ctx: UseCaseContext,
  input: { displayName: string; email: string; roles: Role[] },
): Promise<{ user: UserRow; temporaryPassword: string }> {
  const roles = [...new Set(input.roles)];
  if (mayManageUser(ctx.actor, { roles: [] }, roles) !== 'ok') {
    throw new AppError('role_ceiling', 'You cannot give a role you do not hold, and only global admins make global admins.', 'roles');
  }
  if ((await findUserByEmail(ctx.tx, input.email)) !== undefined) {
    throw new AppError('email_taken', 'A user with this email already exists.', 'email');
  }
  const now = ctx.clock.now();
  const password = newTemporaryPassword();
  const user = await insertUser(ctx.tx, {
    id: newId(),
    organizationId: ctx.actor.organizationId,
    email: input.email,
    displayName: input.displayName,
    passwordHash: await hashPassword(password),
    roles,
    status: 'active',
    mustChangePassword: true,
    temporaryPasswordExpiresAt: new Date(now.getTime() + temporaryPasswordLifetimeMs),
    createdAt: now,
  });
  await ctx.audit.record({
    action: 'user.created',
    target: { type: 'user', id: user.id },
    organizationIds: [ctx.actor.organizationId],
    after: { email: user.email, displayName: user.displayName, roles },
  });
  return { user, temporaryPassword: password };
}

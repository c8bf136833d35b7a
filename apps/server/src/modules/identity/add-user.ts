import type { Role } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { UserRow } from './identity.queries.ts';
import { mayManageUser } from './identity.policy.ts';
import { provisionUser } from './provision-user.ts';

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
  const { user, temporaryPassword } = await provisionUser(ctx, {
    organizationId: ctx.actor.organizationId,
    email: input.email,
    displayName: input.displayName,
    roles,
  });
  await ctx.audit.record({
    action: 'user.created',
    target: { type: 'user', id: user.id },
    organizationIds: [ctx.actor.organizationId],
    after: { email: user.email, displayName: user.displayName, roles },
  });
  return { user, temporaryPassword };
}

import type { Role } from '@tierlink/contract';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { type UserRow } from './identity.queries.ts';
import { lockActiveGlobalAdmins, lockOrganizationUser, revokeUserCredentials, updateUserRow } from './identity.repository.ts';
import { mayManageUser } from './identity.policy.ts';

/**
 * Changes a user's name, roles or status. Role changes take effect on the user's next request;
 * disabling ends the user's sessions and API keys at once. The last active global admin can be
 * neither demoted nor disabled.
 */
export async function updateUser(
  ctx: UseCaseContext,
  id: string,
  input: { displayName?: string | undefined; roles?: Role[] | undefined; status?: 'active' | 'disabled' | undefined },
): Promise<UserRow> {
  const me = ctx.actor.organizationId;
  const admins = await lockActiveGlobalAdmins(ctx.tx, me);
  const user = await lockOrganizationUser(ctx.tx, me, id);
  if (user === undefined) throw notFound('user');
  const roles = input.roles === undefined ? undefined : [...new Set(input.roles)];
  if (mayManageUser(ctx.actor, user, roles) !== 'ok') {
    throw new AppError('role_ceiling', 'You cannot give a role you do not hold, and only global admins change global admins.', 'roles');
  }
  const staysGlobalAdmin = (roles ?? user.roles).includes('global_admin') && (input.status ?? user.status) === 'active';
  if (!staysGlobalAdmin && admins.length === 1 && admins[0]?.id === user.id) {
    throw new AppError('last_global_admin', 'The organization needs at least one active global admin.');
  }
  const updated = await updateUserRow(ctx.tx, id, {
    ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
    ...(roles === undefined ? {} : { roles }),
    ...(input.status === undefined ? {} : { status: input.status }),
  });
  if (updated.status === 'disabled' && user.status !== 'disabled') await revokeUserCredentials(ctx.tx, id, ctx.clock.now());
  await ctx.audit.record({
    action: 'user.updated',
    target: { type: 'user', id },
    organizationIds: [me],
    before: { displayName: user.displayName, roles: user.roles, status: user.status },
    after: { displayName: updated.displayName, roles: updated.roles, status: updated.status },
  });
  return updated;
}

import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { deleteUserRows, lockActiveGlobalAdmins, lockOrganizationUser, revokeUserCredentials } from './identity.repository.ts';
import { mayManageUser } from './identity.policy.ts';

export async function deleteUser(ctx: UseCaseContext, id: string): Promise<void> {
  const me = ctx.actor.organizationId;
  const admins = await lockActiveGlobalAdmins(ctx.tx, me);
  const user = await lockOrganizationUser(ctx.tx, me, id);
  if (user === undefined) throw notFound('user');
  if (mayManageUser(ctx.actor, user, undefined) !== 'ok') {
    throw new AppError('role_ceiling', 'Only global admins remove global admins.');
  }
  if (admins.length === 1 && admins[0]?.id === user.id) {
    throw new AppError('last_global_admin', 'The organization needs at least one active global admin.');
  }
  await revokeUserCredentials(ctx.tx, id, ctx.clock.now());
  await deleteUserRows(ctx.tx, id);
  await ctx.audit.record({
    action: 'user.deleted',
    target: { type: 'user', id },
    organizationIds: [me],
    before: { email: user.email, roles: user.roles },
  });
}

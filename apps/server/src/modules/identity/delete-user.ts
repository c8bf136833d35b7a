import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { UserRow } from './identity.queries.ts';
import { deleteUserRows, lockActiveGlobalAdmins, lockOrganizationUser, revokeUserCredentials } from './identity.repository.ts';
import { mayManageUser } from './identity.policy.ts';

/**
 * Where a removal happens when it is not in the actor's own organization (delegated admin in a
 * customer): the organization, the rule of that path (checked after the user is found and locked,
 * before anything changes), and the audit's parties and grant.
 */
export interface UserRemovalScope {
  organizationId: string;
  refuse: (user: UserRow) => AppError | undefined;
  auditOrganizationIds: string[];
  onBehalfOf?: { type: string; id: string };
}

/** Removes a user: sessions and API keys end, the row goes; other modules' rows follow their foreign keys. */
export async function deleteUser(ctx: UseCaseContext, id: string, scope?: UserRemovalScope): Promise<void> {
  const organizationId = scope?.organizationId ?? ctx.actor.organizationId;
  const admins = await lockActiveGlobalAdmins(ctx.tx, organizationId);
  const user = await lockOrganizationUser(ctx.tx, organizationId, id);
  if (user === undefined) throw notFound('user');
  const refusal = scope === undefined ? ownOrganizationRefusal(ctx, user) : scope.refuse(user);
  if (refusal !== undefined) throw refusal;
  if (admins.length === 1 && admins[0]?.id === user.id) {
    throw new AppError('last_global_admin', 'The organization needs at least one active global admin.');
  }
  await revokeUserCredentials(ctx.tx, id, ctx.clock.now());
  await deleteUserRows(ctx.tx, id);
  await ctx.audit.record({
    action: 'user.deleted',
    target: { type: 'user', id },
    organizationIds: scope?.auditOrganizationIds ?? [organizationId],
    ...(scope?.onBehalfOf === undefined ? {} : { onBehalfOf: scope.onBehalfOf }),
    before: { email: user.email, roles: user.roles },
  });
}

function ownOrganizationRefusal(ctx: UseCaseContext, user: UserRow): AppError | undefined {
  return mayManageUser(ctx.actor, user, undefined) === 'ok' ? undefined : new AppError('role_ceiling', 'Only global admins remove global admins.');
}

import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { clearMfa, lockOrganizationUser, revokeOtherSessions } from './identity.repository.ts';
import { mayManageUser } from './identity.policy.ts';

/**
 * An admin resets a user's MFA (lost device): the authenticator and recovery codes are removed and
 * the user's sessions end; the next sign-in sets MFA up again. Only global admins reset global admins.
 */
export async function resetUserMfa(ctx: UseCaseContext, id: string): Promise<void> {
  const me = ctx.actor.organizationId;
  const user = await lockOrganizationUser(ctx.tx, me, id);
  if (user === undefined) throw notFound('user');
  if (mayManageUser(ctx.actor, user, undefined) !== 'ok') throw new AppError('role_ceiling', 'Only global admins reset a global admin\'s MFA.');
  const now = ctx.clock.now();
  await clearMfa(ctx.tx, id);
  await revokeOtherSessions(ctx.tx, id, null, now);
  await ctx.audit.record({ action: 'user.mfa_reset', target: { type: 'user', id }, organizationIds: [me], before: { mfaEnrolled: user.mfaEnrolledAt !== null } });
}

import { AppError } from '../../platform/errors.ts';
import { hashPassword, verifyPassword } from '../../platform/passwords.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findUserById } from './identity.queries.ts';
import { revokeOtherSessions, updatePassword } from './identity.repository.ts';
import { assertPasswordAllowed } from './identity.policy.ts';

/** Changing the password ends every other session of the user. */
export async function changePassword(ctx: UseCaseContext, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const { actor } = ctx;
  const user = actor.userId === null ? undefined : await findUserById(ctx.tx, actor.userId);
  if (user === undefined) throw new AppError('forbidden', 'Only a signed-in user has a password.');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('invalid_credentials', 'The current password is not correct.', 'currentPassword');
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('validation_failed', 'Choose a password different from the current one.', 'newPassword');
  }
  await assertPasswordAllowed(input.newPassword, 'newPassword');
  await updatePassword(ctx.tx, user.id, await hashPassword(input.newPassword));
  await revokeOtherSessions(ctx.tx, user.id, actor.sessionId, ctx.clock.now());
  await ctx.audit.record({
    action: 'user.password_changed',
    target: { type: 'user', id: user.id },
    organizationIds: [user.organizationId],
  });
}

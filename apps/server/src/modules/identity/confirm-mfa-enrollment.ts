import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findUserById } from './identity.queries.ts';
import { confirmTotpSecret, replaceRecoveryCodes, revokeOtherSessions } from './identity.repository.ts';
import { hashRecoveryCode, matchTotp, newRecoveryCodes } from './totp.ts';

/**
 * A code from the offered seed proves the app holds it: MFA is on, this session counts as
 * MFA-verified, every other session of the user ends, and ten recovery codes are shown once.
 */
export async function confirmMfaEnrollment(ctx: UseCaseContext, input: { code: string }): Promise<{ recoveryCodes: string[] }> {
  const user = ctx.actor.userId === null ? undefined : await findUserById(ctx.tx, ctx.actor.userId);
  if (user === undefined) throw new AppError('forbidden', 'Only a signed-in user sets up MFA.');
  if (user.mfaEnrolledAt !== null) throw new AppError('mfa_already_enrolled', 'MFA is set up already.');
  if (user.totpPendingSecret === null) throw new AppError('conflict', 'Start the MFA setup first (POST /api/v1/me/mfa/totp).');
  const now = ctx.clock.now();
  const step = matchTotp(ctx.sealer.open(user.totpPendingSecret), input.code, now);
  if (step === null) throw new AppError('validation_failed', 'The code is not correct; check the time on the device and try the current code.', 'code');
  await confirmTotpSecret(ctx.tx, user.id, step, now);
  const recoveryCodes = newRecoveryCodes();
  await replaceRecoveryCodes(ctx.tx, user.id, recoveryCodes.map(hashRecoveryCode), now);
  await revokeOtherSessions(ctx.tx, user.id, ctx.actor.sessionId, now);
  await ctx.audit.record({ action: 'user.mfa_enrolled', target: { type: 'user', id: user.id }, organizationIds: [user.organizationId] });
  return { recoveryCodes };
}

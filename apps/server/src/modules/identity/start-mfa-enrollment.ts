import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findUserById } from './identity.queries.ts';
import { setPendingTotpSecret } from './identity.repository.ts';
import { newTotpSeed, totpUri } from './totp.ts';

/**
 * Offers a new authenticator seed to the signed-in user. It takes effect only when a code from it is
 * confirmed; starting again replaces an unconfirmed offer. A user with MFA asks an admin for a reset.
 */
export async function startMfaEnrollment(ctx: UseCaseContext): Promise<{ secret: string; otpauthUri: string }> {
  const user = ctx.actor.userId === null ? undefined : await findUserById(ctx.tx, ctx.actor.userId);
  if (user === undefined) throw new AppError('forbidden', 'Only a signed-in user sets up MFA.');
  if (user.mfaEnrolledAt !== null) throw new AppError('mfa_already_enrolled', 'MFA is set up already; an admin can reset it if the device is lost.');
  const secret = newTotpSeed();
  await setPendingTotpSecret(ctx.tx, user.id, ctx.sealer.seal(secret));
  return { secret, otpauthUri: totpUri(secret, user.email) };
}

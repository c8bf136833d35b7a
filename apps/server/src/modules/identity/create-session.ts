import { AppError } from '../../platform/errors.ts';
import { burnPasswordCheck, verifyPassword } from '../../platform/passwords.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { findUserByEmail, type UserRow } from './identity.queries.ts';
import { claimTotpStep, insertSession, resealTotpSecret, useRecoveryCode } from './identity.repository.ts';
import { sessionPolicy } from './identity.policy.ts';
import { hashRecoveryCode, matchTotp } from './totp.ts';

const invalid = (): AppError => new AppError('invalid_credentials', 'The email or password is not correct.');

/**
 * Sign-in. Unknown email, wrong password and disabled user all answer the same, after the same
 * work. A user with MFA also proves a current TOTP code (each step once) or a one-time recovery
 * code; a session is only ever created with every factor proven. A fresh session id is issued every time (no fixation); only its hash is stored.
 */
export async function createSession(
  ctx: AnonymousContext,
  input: { email: string; password: string; totpCode?: string | undefined; recoveryCode?: string | undefined },
): Promise<{ token: string; userId: string; expiresAt: Date }> {
  const user = await findUserByEmail(ctx.tx, input.email);
  if (user === undefined) {
    await burnPasswordCheck(input.password);
    throw invalid();
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  if (!passwordOk || user.status !== 'active') throw invalid();
  const now = ctx.clock.now();
  // A temporary password past its 72 hours is as dead as a wrong one.
  if (user.mustChangePassword && user.temporaryPasswordExpiresAt !== null && user.temporaryPasswordExpiresAt.getTime() <= now.getTime()) throw invalid();
  if (user.mfaEnrolledAt !== null) await proveSecondFactor(ctx, user, input, now);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + sessionPolicy.absoluteMs);
  await insertSession(ctx.tx, {
    id: hashToken(token),
    userId: user.id,
    organizationId: user.organizationId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  await ctx.audit.record({
    action: 'user.signed_in',
    actor: { userId: user.id, organizationId: user.organizationId, displayName: user.displayName },
    target: { type: 'user', id: user.id },
    organizationIds: [user.organizationId],
  });
  return { token, userId: user.id, expiresAt };
}

async function proveSecondFactor(
  ctx: AnonymousContext,
  user: UserRow,
  input: { totpCode?: string | undefined; recoveryCode?: string | undefined },
  now: Date,
): Promise<void> {
  if (input.recoveryCode !== undefined) {
    if (!(await useRecoveryCode(ctx.tx, user.id, hashRecoveryCode(input.recoveryCode), now))) throw wrongCode();
    await ctx.audit.record({
      action: 'user.recovery_code_used',
      actor: { userId: user.id, organizationId: user.organizationId, displayName: user.displayName },
      target: { type: 'user', id: user.id },
      organizationIds: [user.organizationId],
    });
    return;
  }
  if (input.totpCode === undefined) throw new AppError('mfa_required', 'Enter the code from your authenticator app.', 'totpCode');
  const seed = user.totpSecret === null ? null : openSeed(ctx, user.totpSecret);
  const step = seed === null ? null : matchTotp(seed, input.totpCode, now);
  // A code already used (or an older one) is a replay, even inside the ±1 step window.
  if (step === null || !(await claimTotpStep(ctx.tx, user.id, step))) throw wrongCode();
  // After a key rotation, each seed moves to the new key at its owner's next sign-in.
  if (seed !== null && user.totpSecret !== null && ctx.sealer.sealedWithPreviousKey(user.totpSecret)) {
    await resealTotpSecret(ctx.tx, user.id, ctx.sealer.seal(seed));
  }
}

/** A seed no configured key opens (SECRET_KEY changed without SECRET_KEY_PREVIOUS): say so, never a 500. */
function openSeed(ctx: AnonymousContext, sealed: string): string {
  try {
    return ctx.sealer.open(sealed);
  } catch {
    throw new AppError(
      'service_unavailable',
      'The server cannot read your authenticator key: its sealing key changed. Sign in with a recovery code, or ask an administrator to reset your MFA.',
      'totpCode',
    );
  }
}

const wrongCode = (): AppError => new AppError('invalid_mfa_code', 'The code is not correct or was used already.', 'totpCode');

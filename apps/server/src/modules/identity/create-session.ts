import { AppError } from '../../platform/errors.ts';
import { burnPasswordCheck, verifyPassword } from '../../platform/passwords.ts';
import { hashToken, newToken } from '../../platform/tokens.ts';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { findUserByEmail, insertSession } from './identity.repository.ts';
import { sessionPolicy } from './identity.policy.ts';

const invalid = (): AppError => new AppError('invalid_credentials', 'The email or password is not correct.');

/**
 * Sign-in. Unknown email, wrong password and disabled user all answer the same, after the same
 * work. A fresh session id is issued every time (no fixation); only its hash is stored.
 */
export async function createSession(
  ctx: AnonymousContext,
  input: { email: string; password: string },
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

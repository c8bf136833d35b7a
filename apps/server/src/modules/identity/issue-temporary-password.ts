import { hashPassword } from '../../platform/passwords.ts';
import { newTemporaryPassword } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { temporaryPasswordLifetimeMs } from './identity.policy.ts';
import { revokeOtherSessions, setTemporaryPassword } from './identity.repository.ts';

/**
 * Replaces a user's password with a generated temporary one (never one an admin chooses), to be
 * changed at next sign-in; every session of the user ends. Authorization and audit are the caller's.
 */
export async function issueTemporaryPassword(ctx: UseCaseContext, userId: string): Promise<string> {
  const password = newTemporaryPassword();
  const now = ctx.clock.now();
  await setTemporaryPassword(ctx.tx, userId, await hashPassword(password), new Date(now.getTime() + temporaryPasswordLifetimeMs));
  await revokeOtherSessions(ctx.tx, userId, null, now);
  return password;
}

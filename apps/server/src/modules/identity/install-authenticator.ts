import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { confirmTotpSecret, setPendingTotpSecret } from './identity.repository.ts';

/**
 * Gives a user an authenticator with a known seed, without the confirmation step. Only demo data
 * uses it (its seed is printed at start); the API offers no way to choose a seed.
 */
export async function installAuthenticator(ctx: AnonymousContext, userId: string, seed: string): Promise<void> {
  await setPendingTotpSecret(ctx.tx, userId, ctx.sealer.seal(seed));
  await confirmTotpSecret(ctx.tx, userId, 0, ctx.clock.now());
}

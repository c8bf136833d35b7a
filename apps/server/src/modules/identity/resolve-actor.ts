import type { Database } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { ActorResolver } from '../../platform/http/access.ts';
import type { Clock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/tokens.ts';
import type { ApiKeyCache } from './api-key-cache.ts';
import { loadApiKeyActor, loadSessionActor, touchApiKey, touchSession } from './identity.repository.ts';
import { isUnverifiedPartner, mfaSetupRoutes, needsMfaEnrollment, passwordChangeRoutes, sessionPolicy, unverifiedPartnerAccess } from './identity.policy.ts';
import { problemOf } from '../../platform/http/problem.ts';

export type ApiKeyActorResolver = ActorResolver & { fromApiKeyHash(secretHash: string): Promise<Actor | null> };

/**
 * Resolves the caller from committed state on every request, so a revoked session, a disabled
 * user or a revoked key fails on its very next use. API keys may come from `apiKeys`, a cache that
 * every such change flushes (see createApiKeyCache). A key also resolves by its stored digest
 * (`fromApiKeyHash`): the compatible API's access tokens carry only the digest.
 */
export function createActorResolver(db: Database, clock: Clock, apiKeys?: ApiKeyCache): ApiKeyActorResolver {
  const fromApiKeyHash = async (secretHash: string): Promise<Actor | null> => {
    const now = clock.now();
    const found =
      apiKeys === undefined
        ? await loadApiKeyActor(db, secretHash)
        : (apiKeys.get(secretHash, now) ?? (await apiKeys.load(secretHash, now, () => loadApiKeyActor(db, secretHash))));
    if (found === null) return null;
    const last = found.lastUsedAt?.getTime() ?? 0;
    if (now.getTime() - last > sessionPolicy.touchEveryMs && found.actor.apiKeyId !== null) {
      await touchApiKey(db, found.actor.apiKeyId, now);
      found.lastUsedAt = now;
    }
    return found.actor;
  };
  return {
    async fromSession(token) {
      const now = clock.now();
      const found = await loadSessionActor(db, hashToken(token), now, new Date(now.getTime() - sessionPolicy.idleMs));
      if (found === null) return null;
      if (now.getTime() - found.lastSeenAt.getTime() > sessionPolicy.touchEveryMs && found.actor.sessionId !== null) {
        await touchSession(db, found.actor.sessionId, now);
      }
      return found.actor;
    },
    fromApiKey: (secret) => fromApiKeyHash(hashToken(secret)),
    fromApiKeyHash,
    gate(actor, request, access) {
      const route = `${request.method} ${request.routeOptions.url ?? ''}`;
      if (actor.mustChangePassword && !passwordChangeRoutes.has(route)) {
        return problemOf('password_change_required', request.id, 'Choose a new password first (POST /api/v1/me/password).');
      }
      if (needsMfaEnrollment(actor) && !mfaSetupRoutes.has(route)) {
        return problemOf('mfa_enrollment_required', request.id, 'Set up MFA first (POST /api/v1/me/mfa/totp, then /confirm).');
      }
      if (isUnverifiedPartner(actor) && !unverifiedPartnerAccess.has(access)) {
        return problemOf('partner_not_verified', request.id, 'Your enrollment has not been approved yet; you can read and finish it.');
      }
      return null;
    },
  };
}

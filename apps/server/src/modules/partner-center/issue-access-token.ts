import { AppError } from '../../platform/errors.ts';
import { hashToken } from '../../platform/tokens.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Sealer } from '../../platform/seal.ts';
import { accessTokenSeconds, sealAccessToken } from './access-token.ts';

export interface TokenDeps {
  clock: Clock;
  sealer: Sealer;
  /** Resolves an API key from its secret (identity's actor resolver). */
  fromApiKey(secret: string): Promise<Actor | null>;
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): `client_id` is an API key's id, `client_secret`
 * the key. Answers a short-lived bearer token for the compatible API. API keys are app-only
 * callers, exempt from MFA as in Partner Center.
 */
export async function issueAccessToken(
  deps: TokenDeps,
  input: { clientId: string; clientSecret: string },
): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
  const actor = input.clientSecret === '' ? null : await deps.fromApiKey(input.clientSecret);
  // One answer for an unknown key and for a key that is not this client's: nothing to tell apart.
  if (actor === null || actor.type !== 'api_key' || actor.apiKeyId !== input.clientId) {
    throw new AppError('invalid_credentials', 'The client credentials are not valid.', 'client_secret');
  }
  const expiresAt = new Date(deps.clock.now().getTime() + accessTokenSeconds * 1000);
  return { access_token: sealAccessToken(deps.sealer, actor.apiKeyId, hashToken(input.clientSecret), expiresAt), token_type: 'Bearer', expires_in: accessTokenSeconds };
}

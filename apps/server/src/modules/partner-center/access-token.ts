import type { Sealer } from '../../platform/seal.ts';

/** Prefix of the compatible API's access tokens; an API key itself starts with `tl_`. */
export const accessTokenPrefix = 'tlat.';
/** Lifetime of an access token, as Azure AD's client-credentials tokens (one hour). */
export const accessTokenSeconds = 3600;

interface TokenClaims {
  /** The API key's id (the OAuth client id). */
  k: string;
  /** SHA-256 of the key's secret, as stored: the token never carries the secret itself. */
  h: string;
  /** Expiry, epoch seconds. */
  e: number;
}

/**
 * An access token is the key's digest and an expiry, sealed (AES-256-GCM) with the app's secret
 * key: nothing is stored, and a revoked key fails on the token's next use because every request
 * resolves the key again from its digest.
 */
export function sealAccessToken(sealer: Sealer, apiKeyId: string, secretHash: string, expiresAt: Date): string {
  const claims: TokenClaims = { k: apiKeyId, h: secretHash, e: Math.floor(expiresAt.getTime() / 1000) };
  return `${accessTokenPrefix}${sealer.seal(JSON.stringify(claims))}`;
}

/** The claims of a token that this server sealed and that has not expired; otherwise null. */
export function openAccessToken(sealer: Sealer, token: string, now: Date): { apiKeyId: string; secretHash: string } | null {
  if (!token.startsWith(accessTokenPrefix)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(sealer.open(token.slice(accessTokenPrefix.length)));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const { k, h, e } = claims as Partial<Record<keyof TokenClaims, unknown>>;
  if (typeof k !== 'string' || typeof h !== 'string' || typeof e !== 'number') return null;
  if (e * 1000 <= now.getTime()) return null;
  return { apiKeyId: k, secretHash: h };
}

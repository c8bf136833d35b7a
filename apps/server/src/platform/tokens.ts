import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A bearer secret of `bytes` random bytes (default 256 bits), URL-safe. */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored and looked up only by this digest. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenMatches(token: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashToken(token), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A generated one-time password: 120 random bits as 20 URL-safe characters. */
export function newTemporaryPassword(): string {
  return randomBytes(15).toString('base64url');
}

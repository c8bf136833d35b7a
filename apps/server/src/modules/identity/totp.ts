import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { hashToken } from '../../platform/tokens.ts';
import { totpPolicy } from './identity.policy.ts';

function totpOf(seed: string, account: string): TOTP {
  return new TOTP({
    issuer: totpPolicy.issuer,
    label: account,
    algorithm: 'SHA1',
    digits: totpPolicy.digits,
    period: totpPolicy.periodSeconds,
    secret: Secret.fromBase32(seed),
  });
}

/** A fresh 160-bit seed from the CSPRNG, in base32 as authenticator apps take it. */
export function newTotpSeed(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(seed: string, account: string): string {
  return totpOf(seed, account).toString();
}

/** The time step a code belongs to, within ±1 step of now; null when it matches none. */
export function matchTotp(seed: string, code: string, now: Date): number | null {
  const timestamp = now.getTime();
  const delta = totpOf(seed, '').validate({ token: code.trim(), timestamp, window: totpPolicy.window });
  return delta === null ? null : Math.floor(timestamp / 1000 / totpPolicy.periodSeconds) + delta;
}

/** One-time recovery codes: 64 random bits each, shown as four groups of four hex digits. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: totpPolicy.recoveryCodes }, () => randomBytes(8).toString('hex').match(/.{4}/g)?.join('-') ?? '');
}

/** Codes are compared without case, spaces or dashes; only their SHA-256 is stored. */
export function hashRecoveryCode(code: string): string {
  return hashToken(`recovery:${code.toLowerCase().replace(/[^0-9a-f]/g, '')}`);
}

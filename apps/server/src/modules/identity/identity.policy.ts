import { AppError } from '../../platform/errors.ts';
import type { Role, RouteAccess } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';

/**
 * Nobody hands out a role they do not hold themselves (API keys included). A global admin holds
 * the organization's whole authority, so it may give every role.
 */
export function canGrantRoles(actor: Actor, requested: readonly Role[]): boolean {
  return actor.roles.includes('global_admin') || requested.every((role) => actor.roles.includes(role));
}

/** Session lifetime rules: absolute and idle limits. */
export const sessionPolicy = {
  absoluteMs: 12 * 60 * 60 * 1000,
  idleMs: 2 * 60 * 60 * 1000,
  /** last_seen_at is written at most this often, to keep reads cheap. */
  touchEveryMs: 60 * 1000,
} as const;

/** A temporary password (new user, reset) works for this long, once, and only to choose a new one. */
export const temporaryPasswordLifetimeMs = 72 * 60 * 60 * 1000;

/** MFA is mandatory for partner and operator users (Partner Security Requirements); optional for customers. */
export function mfaMandatory(organizationKind: string): boolean {
  return organizationKind !== 'customer';
}

/** A session without MFA where MFA is mandatory: it may only set MFA up. API keys are app-only and exempt. */
export function needsMfaEnrollment(actor: Actor): boolean {
  return actor.type === 'user' && !actor.mfaEnrolled && mfaMandatory(actor.organizationKind);
}

/** What a session without its mandatory MFA may still reach. */
export const mfaSetupRoutes = new Set([
  'GET /api/v1/me',
  'POST /api/v1/me/password',
  'POST /api/v1/me/mfa/totp',
  'POST /api/v1/me/mfa/totp/confirm',
  'DELETE /api/v1/sessions',
]);

/** TOTP as authenticator apps do it (RFC 6238: SHA-1, 6 digits, 30 s), accepting one step either side. */
export const totpPolicy = { issuer: 'Tierlink', digits: 6, periodSeconds: 30, window: 1, recoveryCodes: 10 } as const;

/**
 * Sign-in throttling (AUTH-07). Per IP + account: from the 10th consecutive failure on, blocked
 * for a doubling time (1 min, 2 min … at most 15 min) — an attacker elsewhere cannot lock the owner
 * out for long. Per account: at most 100 failures an hour from anywhere. Per MFA challenge (a
 * 5-minute window that opens with the first wrong code): at most 5 wrong codes.
 */
export const throttlePolicy = {
  ipAccount: { limit: 10, windowMs: 24 * 60 * 60 * 1000, firstBlockMs: 60 * 1000, maxBlockMs: 15 * 60 * 1000 },
  account: { limit: 100, windowMs: 60 * 60 * 1000 },
  mfaChallenge: { limit: 5, windowMs: 5 * 60 * 1000 },
} as const;

/** What a session signed in with a temporary password may still reach. */
export const passwordChangeRoutes = new Set(['GET /api/v1/me', 'POST /api/v1/me/password', 'DELETE /api/v1/sessions']);

/** A user admin manages users but never global admins, nor makes anyone one. */
export function mayManageUser(actor: Actor, target: { roles: readonly string[] }, requested: readonly Role[] | undefined): 'ok' | 'role_ceiling' {
  const touchesGlobalAdmin = target.roles.includes('global_admin') || (requested ?? []).includes('global_admin');
  if (touchesGlobalAdmin && !actor.roles.includes('global_admin')) return 'role_ceiling';
  if (requested !== undefined && !canGrantRoles(actor, requested.filter((r) => !target.roles.includes(r)))) return 'role_ceiling';
  return 'ok';
}

/** Until one of its enrollments is approved, a partner reads and finishes its enrollment, nothing else. */
export const unverifiedPartnerAccess = new Set<RouteAccess>(['authenticated', 'organization.read', 'enrollment.manage']);

export function isUnverifiedPartner(actor: Actor): boolean {
  return actor.organizationKind === 'partner' && actor.approvedPrograms.length === 0;
}

// ~49,000 passwords seen most often in breaches (the zxcvbn-ts common list), compared lower-cased.
// Loaded on the first password set, not at start: the list is a large module.
let commonPasswords: Promise<Set<string>> | null = null;

/** Password policy (ASVS 6.2): 8 to 128 characters (the schema), no composition rules, not a common or breached one. */
export async function assertPasswordAllowed(password: string, field: string): Promise<void> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set<string>(dictionary['passwords-common']));
  if ((await commonPasswords).has(password.toLowerCase())) {
    throw new AppError('password_too_common', 'This password is one of the most common ones in breaches; choose another.', field);
  }
}

/**
 * Token-guessing endpoints (RATE-03): invitation preview, accept and decline, email verification,
 * sign-up with an invitation, membership sign-in and wrong MFA codes at sign-in. At most `limit`
 * wrong or unknown tokens per client IP in a one-minute window that opens with the first; then 429
 * until the window ends. The limit is TOKEN_GUESSES_PER_IP_PER_MINUTE; this is the default.
 */
export const guessPolicy = { limit: 10, windowMs: 60 * 1000 } as const;

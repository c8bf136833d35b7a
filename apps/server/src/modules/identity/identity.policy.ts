import type { Role } from '@tierlink/contract';
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

/** What a session signed in with a temporary password may still reach. */
export const passwordChangeRoutes = new Set(['GET /api/v1/me', 'POST /api/v1/me/password', 'DELETE /api/v1/sessions']);

/** A user admin manages users but never global admins, nor makes anyone one. */
export function mayManageUser(actor: Actor, target: { roles: readonly string[] }, requested: readonly Role[] | undefined): 'ok' | 'role_ceiling' {
  const touchesGlobalAdmin = target.roles.includes('global_admin') || (requested ?? []).includes('global_admin');
  if (touchesGlobalAdmin && !actor.roles.includes('global_admin')) return 'role_ceiling';
  if (requested !== undefined && !canGrantRoles(actor, requested.filter((r) => !target.roles.includes(r)))) return 'role_ceiling';
  return 'ok';
}

import type { Role } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';

/** Nobody hands out a role they do not hold themselves (API keys included). */
export function canGrantRoles(actor: Actor, requested: readonly Role[]): boolean {
  return requested.every((role) => actor.roles.includes(role));
}

/** Session lifetime rules: absolute and idle limits. */
export const sessionPolicy = {
  absoluteMs: 12 * 60 * 60 * 1000,
  idleMs: 2 * 60 * 60 * 1000,
  /** last_seen_at is written at most this often, to keep reads cheap. */
  touchEveryMs: 60 * 1000,
} as const;

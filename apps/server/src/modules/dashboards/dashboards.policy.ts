import { hasPermission, type Permission } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';

/** Grants ending within this many days count as "ending soon". */
export const endingSoonDays = 30;

/** Dashboards chart this many calendar months, the current one included. */
export const dashboardMonths = 12;

/**
 * A dashboard section is computed only when the caller may read the list behind it: the section's
 * figures then tell nothing the lists would not.
 */
export function may(actor: Actor, permission: Permission): boolean {
  return hasPermission({ roles: actor.roles, organizationKind: actor.organizationKind, approvedPrograms: actor.approvedPrograms }, permission);
}

/** The `YYYY-MM` keys (UTC) of the last `dashboardMonths` months up to `now`'s, oldest first, and the first instant of the oldest. */
export function monthWindow(now: Date): { since: Date; months: string[] } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const months: string[] = [];
  for (let k = dashboardMonths - 1; k >= 0; k -= 1) {
    const first = new Date(Date.UTC(year, month - k, 1));
    months.push(`${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return { since: new Date(Date.UTC(year, month - (dashboardMonths - 1), 1)), months };
}

export function endingSoonUntil(now: Date): Date {
  return new Date(now.getTime() + endingSoonDays * 24 * 60 * 60 * 1000);
}

import type { Actor } from '../../platform/actor.ts';
import type { GrantRow } from './delegated-admin.queries.ts';

/** Stored states plus `expiring`, which is `active` within 30 days of the end. */
export type RelationshipState = GrantRow['state'] | 'expiring';

export const expiringWindowMs = 30 * 24 * 60 * 60 * 1000;

/** Either side may end a grant: the partner that holds it or the organization that gave it. */
export function isGrantParty(actor: Actor, grant: GrantRow): boolean {
  return grant.partnerOrganizationId === actor.organizationId || grant.organizationId === actor.organizationId;
}

/**
 * The state as of `now`: an active relationship past its end is expired even before the sweep has
 * written it down, and within 30 days of its end it is expiring; a request waiting longer than the
 * lapse period reads as lapsed the same way.
 */
export function effectiveState(grant: GrantRow, now: Date): RelationshipState {
  if (grant.state === 'active' && grant.endsAt !== null) {
    const left = grant.endsAt.getTime() - now.getTime();
    if (left <= 0) return 'expired';
    if (left <= expiringWindowMs) return 'expiring';
  }
  return grant.state;
}

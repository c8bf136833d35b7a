import { createHash } from 'node:crypto';
import { approvalLapseDays, type RelationshipAction } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';
import type { GrantRow } from './delegated-admin.queries.ts';

/** Stored states plus `expiring`, which is `active` within 30 days of the end. */
export type RelationshipState = GrantRow['state'] | 'expiring';

const dayMs = 24 * 60 * 60 * 1000;
export const expiringWindowMs = 30 * dayMs;
export const approvalLapseMs = approvalLapseDays * dayMs;
/** An auto-extending relationship is extended this long before its end, so a sweep's period never opens a gap in access. */
export const extendAheadMs = 60 * 60 * 1000;

/** Either side may end a grant: the partner that holds it or the organization that gave it. */
export function isGrantParty(actor: Actor, grant: GrantRow): boolean {
  return grant.partnerOrganizationId === actor.organizationId || grant.organizationId === actor.organizationId;
}

/**
 * The state as of `now`: an active relationship past its end is expired even before the sweep has
 * written it down, and within 30 days of its end it is expiring; a request waiting longer than the
 * lapse period reads as lapsed the same way.
 */
export function effectiveState(grant: Pick<GrantRow, 'state' | 'endsAt' | 'approvalRequestedAt'>, now: Date): RelationshipState {
  if (grant.state === 'active' && grant.endsAt !== null) {
    const left = grant.endsAt.getTime() - now.getTime();
    if (left <= 0) return 'expired';
    if (left <= expiringWindowMs) return 'expiring';
  }
  if (grant.state === 'approval_pending' && grant.approvalRequestedAt !== null && now.getTime() - grant.approvalRequestedAt.getTime() >= approvalLapseMs) {
    return 'lapsed';
  }
  return grant.state;
}

export type Side = 'partner' | 'customer' | 'reseller';

/** How the actor's organization stands to the relationship (the partner first: a provider may hold one in its reseller). */
export function sideOf(actor: Actor, row: GrantRow): Side | null {
  if (row.partnerOrganizationId === actor.organizationId) return 'partner';
  if (row.organizationId === actor.organizationId) return 'customer';
  if (row.resellerOrganizationId === actor.organizationId) return 'reseller';
  return null;
}

/**
 * Who may send which action: the partner's global admins and admin agents lock for approval and
 * terminate; the named reseller's the same roles consent; the customer's global admins and
 * delegated admin approvers approve, reject and terminate. A party that may not: false (403).
 */
export function mayAct(actor: Actor, side: Side, action: RelationshipAction): boolean {
  const agent = actor.roles.includes('global_admin') || actor.roles.includes('admin_agent');
  const approver = actor.roles.includes('global_admin') || actor.roles.includes('delegated_admin_approver');
  switch (action) {
    case 'lock_for_approval':
      return side === 'partner' && agent;
    case 'consent':
      return side === 'reseller' && agent;
    case 'approve':
    case 'reject':
      return side === 'customer' && approver;
    case 'terminate':
      return (side === 'partner' && agent) || (side === 'customer' && approver);
  }
}

/** The customer's approvers decide amendments. */
export function mayDecideAmendment(actor: Actor, row: GrantRow): boolean {
  return row.organizationId === actor.organizationId && (actor.roles.includes('global_admin') || actor.roles.includes('delegated_admin_approver'));
}

/** The customer sees a request once it is locked for approval and, three-party, once the reseller consented. */
export function customerMaySee(row: GrantRow): boolean {
  return row.state !== 'created' && (row.resellerOrganizationId === null || row.resellerConsentedAt !== null);
}

/** The end of a relationship of `duration` days starting at `from`. */
export function endOf(from: Date, days: number): Date {
  return new Date(from.getTime() + days * dayMs);
}

/**
 * The relationship's version for optimistic concurrency: a digest of what a change can touch, so a
 * draft changed since the caller read it answers 412 (the clock may not have moved in between).
 */
export function etagOf(row: GrantRow): string {
  const terms = [row.displayName, row.roles.join(','), row.duration, row.autoExtendDuration, row.state, row.endsAt?.toISOString() ?? null];
  return `"${createHash('sha256').update(JSON.stringify(terms)).digest('base64url').slice(0, 22)}"`;
}

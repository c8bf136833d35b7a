import type { AccessTrace, DelegatedAdminAmendment, DelegatedAdminGrant, DelegatedAdminRelationship, DelegatedRole } from '@tierlink/contract';
import { effectiveState, etagOf, type RelationshipState } from './delegated-admin.policy.ts';
import type { GrantView, LiveGrant } from './delegated-admin.queries.ts';
import type { AmendmentRow, RelationshipView } from './relationships.queries.ts';
import type { AccessTraceResult } from './trace-access.ts';

/** The seed's grant states, as the grant endpoints keep answering them (only relationships that were ever active are grants). */
function legacyState(state: RelationshipState): DelegatedAdminGrant['state'] {
  if (state === 'active' || state === 'expiring') return 'active';
  if (state === 'expired') return 'expired';
  return 'revoked';
}

/** A relationship as the seed's grant endpoints present it. */
export function presentGrant(view: GrantView<LiveGrant>, now: Date): DelegatedAdminGrant {
  const { grant } = view;
  return {
    id: grant.id,
    partner: view.partner,
    organization: view.organization,
    roles: grant.roles as DelegatedRole[],
    state: legacyState(effectiveState(grant, now)),
    startsAt: (grant.startsAt ?? grant.createdAt).toISOString(),
    endsAt: grant.endsAt?.toISOString() ?? null,
    revokedAt: grant.revokedAt?.toISOString() ?? null,
  };
}

export function presentAmendment(row: AmendmentRow): DelegatedAdminAmendment {
  return {
    id: row.id,
    relationshipId: row.relationshipId,
    roles: row.roles === null ? null : (row.roles as DelegatedRole[]),
    duration: row.duration,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/** The approval page a partner sends the customer: opening it changes nothing. */
export function approvalUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/$/, '')}/delegated-admin/${id}`;
}

/** A relationship as the native API presents it at `now`. */
export function presentRelationship(view: RelationshipView, now: Date, publicUrl: string): DelegatedAdminRelationship {
  const { row } = view;
  const state = effectiveState(row, now);
  return {
    id: row.id,
    displayName: row.displayName,
    partner: view.partner,
    customer: view.customer,
    reseller: view.reseller,
    resellerConsentedAt: row.resellerConsentedAt?.toISOString() ?? null,
    roles: row.roles as DelegatedRole[],
    duration: row.duration,
    autoExtendDuration: row.autoExtendDuration,
    state,
    invitationId: row.invitationId,
    createdAt: row.createdAt.toISOString(),
    approvalRequestedAt: row.approvalRequestedAt?.toISOString() ?? null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    activatedAt: row.startsAt?.toISOString() ?? null,
    endsAt: row.endsAt?.toISOString() ?? null,
    terminatedAt: row.revokedAt?.toISOString() ?? null,
    terminatedBy: row.revokedByOrganizationId === null ? null : row.revokedByOrganizationId === row.partnerOrganizationId ? 'partner' : 'customer',
    approvalUrl: state === 'approval_pending' ? approvalUrl(publicUrl, row.id) : null,
    pendingAmendment: view.pendingAmendment === null ? null : presentAmendment(view.pendingAmendment),
    etag: etagOf(row),
  };
}

/** The access trace: each path with its latest actions. */
export function presentAccessTrace(result: AccessTraceResult, now: Date, publicUrl: string): AccessTrace {
  return {
    partner: result.partner,
    customer: result.customer,
    items: result.paths.map((p) => ({
      relationship: presentRelationship(p.view, now, publicUrl),
      origin: p.view.row.originType === 'request' ? 'request' : 'invitation',
      lastUsedAt: p.lastActions[0]?.occurredAt.toISOString() ?? null,
      lastActions: p.lastActions.map((a) => ({ id: a.id, action: a.action, occurredAt: a.occurredAt.toISOString(), actorDisplayName: a.actorDisplayName })),
      unused: p.unused,
    })),
  };
}

import { createHash } from 'node:crypto';
import type { DelegatedRole, RelationshipState } from '@tierlink/contract';
import { presentRelationship, type RelationshipView } from '../delegated-admin/index.ts';
import type { GraphAccessAssignment, GraphRelationship, GraphRelationshipRequest, GraphRequestAction, GraphStatus } from './graph.schemas.ts';

/**
 * Tierlink's delegated roles as Microsoft Entra role templates (the nearest built-in role of each;
 * ids from Microsoft's built-in roles reference). A role id not in this table is refused on input.
 */
export const roleDefinitionIds: Readonly<Record<DelegatedRole, string>> = {
  user_admin: 'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  license_admin: '4d6ac14f-3453-41d0-bef9-a3e0c569773a', // License Administrator
  helpdesk: '729827e3-9c14-49f7-bb1b-9608f156bbb8', // Helpdesk Administrator
};

export function roleOfDefinitionId(id: string): DelegatedRole | undefined {
  const lower = id.toLowerCase();
  return (Object.keys(roleDefinitionIds) as DelegatedRole[]).find((role) => roleDefinitionIds[role] === lower);
}

/**
 * Native state → Graph status. Graph has no status for a refused or lapsed request: a rejected
 * request reads `terminated` (ended by the customer's decision) and a lapsed one `expired` (it ran
 * out waiting); `@tierlink.state` keeps the exact state.
 */
export const graphStatusOf: Readonly<Record<RelationshipState, GraphStatus>> = {
  created: 'created',
  approval_pending: 'approvalPending',
  active: 'active',
  expiring: 'expiring',
  expired: 'expired',
  rejected: 'terminated',
  lapsed: 'expired',
  terminated: 'terminated',
};

/** Graph status in a `$filter` → the native state it lists; statuses Tierlink never holds (its transitions are immediate) list nothing. */
export const nativeStateOf: Readonly<Partial<Record<GraphStatus, RelationshipState>>> = {
  created: 'created',
  approvalPending: 'approval_pending',
  active: 'active',
  expiring: 'expiring',
  expired: 'expired',
  terminated: 'terminated',
};

/** A strong native ETag `"x"` as Graph's weak `W/"x"`; If-Match is read in either spelling. */
export const graphEtag = (etag: string): string => `W/${etag}`;
export const nativeEtag = (ifMatch: string | undefined): string | undefined => (ifMatch === undefined ? undefined : ifMatch.replace(/^W\//, ''));

export function graphBase(publicUrl: string): string {
  return `${publicUrl.replace(/\/$/, '')}/v1.0/tenantRelationships`;
}

export function presentGraphRelationship(view: RelationshipView, now: Date, publicUrl: string): GraphRelationship {
  const native = presentRelationship(view, now, publicUrl);
  const ended = native.state === 'terminated' ? native.terminatedAt : native.state === 'rejected' ? native.decidedAt : native.endsAt;
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationship',
    '@odata.etag': graphEtag(native.etag),
    '@tierlink.state': native.state,
    id: native.id,
    displayName: native.displayName ?? '',
    duration: native.duration ?? 'P0D',
    customer: { tenantId: native.customer.id, displayName: native.customer.name },
    accessDetails: { unifiedRoles: native.roles.map((role) => ({ roleDefinitionId: roleDefinitionIds[role] })) },
    status: graphStatusOf[native.state],
    autoExtendDuration: native.autoExtendDuration,
    createdDateTime: native.createdAt,
    lastModifiedDateTime: (view.row.updatedAt ?? view.row.createdAt).toISOString(),
    activatedDateTime: native.activatedAt,
    endDateTime: ended,
  };
}

/** A stable id for something derived, not stored (uuid-shaped digest). */
function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Requests are applied at once: the answer is the request as it succeeded, at the change's time. */
export function presentGraphRequest(view: RelationshipView, action: GraphRequestAction): GraphRelationshipRequest {
  return requestAt(view.row.id, action, view.row.updatedAt ?? view.row.createdAt);
}

function requestAt(relationshipId: string, action: GraphRequestAction, at: Date): GraphRelationshipRequest {
  const time = at.toISOString();
  const id = derivedId(relationshipId, action, time);
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminRelationshipRequest',
    '@odata.etag': `W/"${id}"`,
    id,
    action,
    status: 'succeeded',
    createdDateTime: time,
    lastModifiedDateTime: time,
  };
}

/** The requests a relationship's recorded moments imply (lock for approval, the decision, termination). */
export function requestsOf(view: RelationshipView): GraphRelationshipRequest[] {
  const { row } = view;
  const made: [GraphRequestAction, Date | null][] = [
    ['lockForApproval', row.approvalRequestedAt],
    [row.state === 'rejected' ? 'reject' : 'approve', row.decidedAt],
    ['terminate', row.revokedAt],
  ];
  return made.flatMap(([action, at]) => (at === null ? [] : [requestAt(row.id, action, at)]));
}

/**
 * Tierlink has no security groups: a relationship's roles reach the partner's admin agents as a
 * whole, so it has one access assignment, whose container stands for them (its id is the partner
 * organization's id) and whose roles are the relationship's.
 */
export function presentAccessAssignment(view: RelationshipView, now: Date, publicUrl: string): GraphAccessAssignment {
  const relationship = presentGraphRelationship(view, now, publicUrl);
  const state = relationship['@tierlink.state'];
  return {
    '@odata.type': '#microsoft.graph.delegatedAdminAccessAssignment',
    '@odata.etag': relationship['@odata.etag'],
    id: derivedId(view.row.id, 'admin-agents'),
    status: state === 'active' || state === 'expiring' ? 'active' : state === 'created' || state === 'approval_pending' ? 'pending' : 'deleted',
    accessContainer: { accessContainerId: view.partner.id, accessContainerType: 'securityGroup' },
    accessDetails: relationship.accessDetails,
    createdDateTime: relationship.createdDateTime,
    lastModifiedDateTime: relationship.lastModifiedDateTime,
  };
}

import type { DelegatedRole, Invitation } from '@tierlink/contract';
import { presentRelationship } from '../customers/index.ts';
import { presentGrant } from '../delegated-admin/index.ts';
import { presentPartnership } from '../partnerships/index.ts';
import type { AcceptedInvitation } from './accept-invitation.ts';
import { effectiveState } from './invitations.policy.ts';
import type { InvitationView } from './invitations.repository.ts';

export function presentInvitation(view: InvitationView, now: Date): Invitation {
  const i = view.invitation;
  return {
    id: i.id,
    kind: i.kind,
    email: i.email,
    state: effectiveState(i, now),
    inviter: view.inviter,
    provider: view.provider,
    delegatedRoles: i.delegatedRoles as DelegatedRole[],
    delegatedAdminDays: i.delegatedAdminDays,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    acceptedAt: i.acceptedAt?.toISOString() ?? null,
  };
}

export function presentPreview(view: InvitationView, now: Date) {
  const i = view.invitation;
  return {
    id: i.id,
    kind: i.kind,
    state: effectiveState(i, now),
    email: i.email,
    inviter: view.inviter,
    provider: view.provider,
    delegatedRoles: i.delegatedRoles as DelegatedRole[],
    delegatedAdminDays: i.delegatedAdminDays,
    expiresAt: i.expiresAt.toISOString(),
  };
}

/** An acceptance shows everything it created, each as its own module presents it. */
export function presentAcceptance(result: AcceptedInvitation, now: Date) {
  return {
    invitation: presentInvitation(result.invitation, now),
    partnership: result.partnership === null ? null : presentPartnership(result.partnership),
    relationships: result.relationships.map(presentRelationship),
    delegatedAdmin: result.grants.map((g) => presentGrant(g, now)),
  };
}

import type { DelegatedRole, Invitation } from '@tierlink/contract';
import { presentRelationship } from '../customers/index.ts';
import { presentGrant } from '../delegated-admin/index.ts';
import { presentPartnership } from '../partnerships/index.ts';
import type { AcceptedInvitation } from './accept-invitation.ts';
import { effectiveState } from './invitations.policy.ts';
import type { InvitationView } from './invitations.repository.ts';
import type { CsvCell } from '../../platform/http/csv-response.ts';

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

/** The Sent invitations CSV export's columns, in order. */
export const invitationCsvColumns = ['invitation_id', 'email', 'kind', 'state', 'provider_id', 'provider_name', 'delegated_roles', 'created_at', 'expires_at', 'accepted_at'] as const;

/** One invitation as a CSV row, its state as the list shows it at `now`. */
export function invitationCsvCells(view: InvitationView, now: Date): CsvCell[] {
  const i = view.invitation;
  return [
    i.id,
    i.email,
    i.kind,
    effectiveState(i, now),
    view.provider?.id ?? null,
    view.provider?.name ?? null,
    i.delegatedRoles.join(' '),
    i.createdAt.toISOString(),
    i.expiresAt.toISOString(),
    i.acceptedAt?.toISOString() ?? null,
  ];
}

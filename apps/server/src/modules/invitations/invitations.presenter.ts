import type { DelegatedRole, Invitation } from '@tierlink/contract';
import type { InvitationRow, InvitationView } from './invitations.repository.ts';

/** A pending invitation past its expiry is expired, whether or not the sweep has written it yet. */
export function effectiveState(invitation: InvitationRow, now: Date): Invitation['state'] {
  if (invitation.state === 'pending' && invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return invitation.state;
}

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

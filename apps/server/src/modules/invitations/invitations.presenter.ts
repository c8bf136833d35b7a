import type { DelegatedRole, Invitation } from '@tierlink/contract';
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

import { hasPermission } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import type { InvitationRow } from './invitations.repository.ts';

/**
 * Who may accept: a signed-in user whose email is the invitee's, from an organization of the kind
 * the invitation is for, holding an admin role there. Null when allowed.
 */
export function acceptanceRefusal(actor: Actor, invitation: InvitationRow): AppError | null {
  if (actor.type !== 'user' || actor.email === null) {
    return new AppError('forbidden', 'Invitations are accepted by a signed-in user, not an API key.');
  }
  if (actor.email !== invitation.email) {
    return new AppError('invitation_email_mismatch', 'This invitation was sent to another email address; sign in as that user.');
  }
  if (actor.organizationId === invitation.organizationId) {
    return new AppError('wrong_organization_kind', 'An organization cannot accept its own invitation.');
  }
  if (invitation.kind === 'partnership') {
    if (actor.organizationKind !== 'partner' || !actor.approvedPrograms.includes('indirect_reseller')) {
      return new AppError('wrong_organization_kind', 'Only an approved indirect reseller can authorize an indirect provider.');
    }
  } else if (actor.organizationKind !== 'customer') {
    return new AppError('wrong_organization_kind', 'Reseller relationships are accepted by customer organizations.');
  }
  const subject = { roles: actor.roles, organizationKind: actor.organizationKind, approvedPrograms: actor.approvedPrograms };
  const customerNeedsGlobalAdmin = invitation.kind === 'reseller_relationship' && !actor.roles.includes('global_admin');
  if (!hasPermission(subject, 'invitations.accept') || customerNeedsGlobalAdmin) {
    return new AppError('forbidden', invitation.kind === 'partnership'
      ? 'Only a global admin or admin agent can authorize an indirect provider.'
      : 'Only a global admin of your organization can accept a reseller relationship.');
  }
  return null;
}

/** The inviter's side: only the organization that sent an invitation sees or revokes it. */
export function isInviter(actor: Actor, invitation: InvitationRow): boolean {
  return invitation.organizationId === actor.organizationId;
}

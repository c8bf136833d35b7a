import { hasPermission, type Invitation } from '@tierlink/contract';
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

/**
 * Abuse limits of invitations (RATE-02, T16: email bombing and spam from our domain). Every
 * invitation created counts — a re-send creates a new one — whether Tierlink emails it or the
 * partner sends the draft itself. Configured by INVITATIONS_PER_ORGANIZATION_PER_HOUR and
 * INVITATIONS_PER_RECIPIENT_PER_DAY; these are the defaults.
 */
export interface InvitationQuota {
  /** Invitations one sending organization creates in any hour. */
  perOrganizationPerHour: number;
  /**
   * Invitations one organization sends to one email address in any 24 hours. Per sender, so that
   * no partner can use up an address's quota and keep its rivals' invitations from a customer.
   */
  perRecipientPerDay: number;
}

export const defaultInvitationQuota: InvitationQuota = { perOrganizationPerHour: 50, perRecipientPerDay: 3 };

export const invitationQuotaWindows = { organizationMs: 60 * 60 * 1000, recipientMs: 24 * 60 * 60 * 1000 } as const;

/** A pending invitation past its expiry is expired, whether or not the sweep has written it yet. */
export function effectiveState(invitation: InvitationRow, now: Date): Invitation['state'] {
  if (invitation.state === 'pending' && invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return invitation.state;
}

import { AppError, notFound } from '../../platform/errors.ts';
import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { closeInvitation, findInvitationView, type InvitationView } from './invitations.repository.ts';
import { openPendingInvitation } from './open-invitation.ts';

/**
 * The invitee declines. The token is the proof; a signed-in caller must also be the invitee, so a
 * forwarded link cannot be declined from someone else's account.
 */
export async function declineInvitation(ctx: AnonymousContext, id: string, token: string): Promise<InvitationView> {
  const now = ctx.clock.now();
  const invitation = await openPendingInvitation(ctx.tx, id, token, now);
  if (ctx.actor !== null && ctx.actor.email !== null && ctx.actor.email !== invitation.email) {
    throw new AppError('invitation_email_mismatch', 'This invitation was sent to another email address.');
  }
  if ((await closeInvitation(ctx.tx, invitation.id, 'declined', now)) === undefined) {
    throw new AppError('invitation_not_pending', 'This invitation was already used.');
  }
  await ctx.audit.record({
    action: 'invitation.declined',
    target: { type: 'invitation', id: invitation.id },
    organizationIds: [invitation.organizationId, ...(invitation.providerOrganizationId === null ? [] : [invitation.providerOrganizationId])],
    before: { state: 'pending' },
    after: { state: 'declined' },
  });
  const view = await findInvitationView(ctx.tx, invitation.id);
  if (view === undefined) throw notFound('invitation');
  return view;
}

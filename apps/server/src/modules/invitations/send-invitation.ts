import { AppError, notFound } from '../../platform/errors.ts';
import { tokenMatches } from '../../platform/tokens.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { composeEmail, customerInvitationDraft, invitationLink } from './invitation-email.ts';
import { effectiveState, isInviter, type InvitationQuota } from './invitations.policy.ts';
import { findInvitationView, lockInvitation } from './invitations.repository.ts';
import { enforceQuota, type IssuedInvitation } from './issue-invitation.ts';

/**
 * "Send with Tierlink" for a draft customer invitation: emails the same pending invitation with
 * the link the draft showed (the caller proves it with the token, which is stored only hashed),
 * instead of issuing a second one. The sender's quota is checked as for a new invitation.
 */
export async function sendInvitation(
  ctx: UseCaseContext,
  id: string,
  input: { token: string; text?: string | undefined },
  quota: InvitationQuota,
): Promise<IssuedInvitation> {
  const invitation = await lockInvitation(ctx.tx, id);
  // Another organization's invitation, a reseller invitation (always emailed) or a wrong token
  // answer like an unknown id, and count as a guess (RATE-03).
  if (invitation === undefined || !isInviter(ctx.actor, invitation) || invitation.kind !== 'reseller_relationship' || !tokenMatches(input.token, invitation.tokenHash)) {
    throw new AppError('invitation_not_found', 'This invitation link is not valid.');
  }
  const now = ctx.clock.now();
  const state = effectiveState(invitation, now);
  if (state !== 'pending') throw new AppError('invitation_not_pending', `This invitation is already ${state}.`);
  await enforceQuota(ctx, invitation.email, quota);
  const view = await findInvitationView(ctx.tx, invitation.id);
  if (view === undefined) throw notFound('invitation');
  const draft = customerInvitationDraft({
    resellerName: view.inviter.name,
    providerName: view.provider?.name ?? null,
    roles: invitation.delegatedRoles,
    days: invitation.delegatedAdminDays,
  });
  const email = input.text === undefined || input.text === '' ? draft : { subject: draft.subject, text: input.text };
  const link = invitationLink(ctx.publicUrl, invitation.id, input.token);
  await ctx.outbox.email(composeEmail(invitation.email, email, link, invitation.expiresAt), `invitation.${invitation.kind}`);
  await ctx.audit.record({
    action: 'invitation.sent',
    target: { type: 'invitation', id: invitation.id },
    organizationIds: invitation.providerOrganizationId === null ? [invitation.organizationId] : [invitation.organizationId, invitation.providerOrganizationId],
    after: { email: invitation.email },
  });
  return { view, email: { to: invitation.email, subject: email.subject, text: email.text, link }, sent: true };
}

import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { closeInvitation, findInvitationView, lockInvitation, type InvitationView } from './invitations.repository.ts';
import { effectiveState, isInviter } from './invitations.policy.ts';

export async function revokeInvitation(ctx: UseCaseContext, id: string): Promise<InvitationView> {
  const invitation = await lockInvitation(ctx.tx, id);
  if (invitation === undefined || !isInviter(ctx.actor, invitation)) throw notFound('invitation');
  const now = ctx.clock.now();
  const state = effectiveState(invitation, now);
  if (state !== 'pending') throw new AppError('invitation_not_pending', `This invitation is already ${state}.`);
  await closeInvitation(ctx.tx, invitation.id, 'revoked', now);
  await ctx.audit.record({
    action: 'invitation.revoked',
    target: { type: 'invitation', id: invitation.id },
    organizationIds: [invitation.organizationId, ...(invitation.providerOrganizationId === null ? [] : [invitation.providerOrganizationId])],
    before: { state: 'pending' },
    after: { state: 'revoked' },
  });
  const view = await findInvitationView(ctx.tx, invitation.id);
  if (view === undefined) throw notFound('invitation');
  return view;
}

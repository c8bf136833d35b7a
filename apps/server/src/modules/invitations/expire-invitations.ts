import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { closeInvitation, lockLapsed } from './invitations.repository.ts';

/** Sweep run by the worker: pending invitations past their expiry become `expired`, audited. */
export async function expireInvitations(ctx: AnonymousContext, batch = 200): Promise<number> {
  const now = ctx.clock.now();
  const lapsed = await lockLapsed(ctx.tx, now, batch);
  for (const invitation of lapsed) {
    await closeInvitation(ctx.tx, invitation.id, 'expired', now);
    await ctx.audit.record({
      action: 'invitation.expired',
      target: { type: 'invitation', id: invitation.id },
      // A joint invitation also concerns its provider, which saw it created.
      organizationIds: [invitation.organizationId, ...(invitation.providerOrganizationId === null ? [] : [invitation.providerOrganizationId])],
      before: { state: 'pending' },
      after: { state: 'expired' },
    });
  }
  return lapsed.length;
}

import type { AnonymousContext } from '../../platform/unit-of-work.ts';
import { expireLapsed } from './delegated-admin.repository.ts';
import { notifyParties } from './relationship-notices.ts';

/** Sweep run by the worker: writes down (audits, and tells both sides of) relationships whose end has passed. */
export async function expireDelegatedAdmin(ctx: AnonymousContext, batch = 200): Promise<number> {
  const expired = await expireLapsed(ctx.tx, ctx.clock.now(), batch);
  for (const grant of expired) {
    await ctx.audit.record({
      action: 'delegated_admin.expired',
      target: { type: 'delegated_admin_grant', id: grant.id },
      organizationIds: [grant.organizationId, grant.partnerOrganizationId],
      before: { state: 'active' },
      after: { state: 'expired', endsAt: grant.endsAt?.toISOString() ?? null },
    });
    await notifyParties(ctx, grant, { subject: 'Delegated admin access expired', text: 'The relationship below reached its end; the partner\'s admin agents can no longer act in the customer\'s organization.' });
  }
  return expired.length;
}

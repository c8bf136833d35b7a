import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { notifyParties, recordTransition } from './relationship-notices.ts';
import { supersedePending, updateRelationship } from './relationships.repository.ts';
import { lockForTransition } from './transition-guard.ts';

/**
 * Either side ends an active (or expiring) relationship at once: the access check reads the row in
 * each request's own transaction, so no request that starts after this commits acts through it.
 */
export async function terminateRelationship(ctx: UseCaseContext, id: string): Promise<GrantRow> {
  const { row, state } = await lockForTransition(ctx, id, 'terminate', ['active', 'expiring']);
  const now = ctx.clock.now();
  const updated = await updateRelationship(ctx.tx, row.id, { state: 'terminated', revokedAt: now, revokedByOrganizationId: ctx.actor.organizationId, updatedAt: now });
  await supersedePending(ctx.tx, row.id, now);
  await recordTransition(ctx, 'delegated_admin.terminated', updated, { state }, { state: 'terminated' });
  await notifyParties(ctx, updated, {
    subject: 'Delegated admin access ended',
    text: `The relationship below was terminated by the ${row.partnerOrganizationId === ctx.actor.organizationId ? 'partner' : 'customer'}; the partner's admin agents can no longer act in the customer's organization.`,
  });
  return updated;
}

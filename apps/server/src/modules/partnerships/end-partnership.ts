import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, type GrantView } from '../delegated-admin/index.ts';
import { findActivePartnership } from './partnerships.queries.ts';
import { findPartnershipView, markEnded, type PartnershipView } from './partnerships.repository.ts';

/**
 * Either side ends the partnership. Customers' relationships and delegated admin grants stay as
 * they are; the answer lists the grants that remain so the caller can decide about them.
 */
export async function endPartnership(
  ctx: UseCaseContext,
  side: 'provider' | 'reseller',
  otherOrganizationId: string,
): Promise<{ partnership: PartnershipView; remaining: GrantView[] }> {
  const me = ctx.actor.organizationId;
  const [providerId, resellerId] = side === 'provider' ? [me, otherOrganizationId] : [otherOrganizationId, me];
  const active = await findActivePartnership(ctx.tx, providerId, resellerId, { lock: true });
  if (active === undefined) throw notFound(side === 'provider' ? 'indirect reseller' : 'indirect provider');
  const now = ctx.clock.now();
  await markEnded(ctx.tx, active.id, now, me);
  await ctx.audit.record({
    action: 'partnership.ended',
    target: { type: 'partnership', id: active.id },
    organizationIds: [providerId, resellerId],
    before: { state: 'active' },
    after: { state: 'ended' },
  });
  const view = await findPartnershipView(ctx.tx, active.id);
  if (view === undefined) throw notFound('partnership');
  const remaining = await listGrantViews(ctx.tx, { partnerOrganizationId: providerId, organizationId: resellerId, liveAt: now });
  return { partnership: view, remaining };
}

import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, revokeDelegatedAdmin, type GrantView } from '../delegated-admin/index.ts';
import { findActivePartnership } from './partnerships.queries.ts';

/**
 * The reseller removes its provider's admin access to its own organization; the partnership stays.
 * Access left behind by an ended partnership is removed the same way (ending keeps grants).
 */
export async function removeProviderAdmin(ctx: UseCaseContext, providerId: string): Promise<GrantView[]> {
  const me = ctx.actor.organizationId;
  const now = ctx.clock.now();
  const live = await listGrantViews(ctx.tx, { partnerOrganizationId: providerId, organizationId: me, liveAt: now });
  if (live.length === 0) {
    if ((await findActivePartnership(ctx.tx, providerId, me)) === undefined) throw notFound('indirect provider');
    throw new AppError('grant_not_active', 'The provider holds no active admin access to your organization.');
  }
  const revoked: GrantView[] = [];
  for (const view of live) {
    revoked.push(await revokeDelegatedAdmin(ctx, view.grant.id, { partnerOrganizationId: providerId, organizationId: me }));
  }
  return revoked;
}

import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { effectiveState, isGrantParty } from './delegated-admin.policy.ts';
import { listGrantViews, type GrantView } from './delegated-admin.queries.ts';
import { lockGrant, markRevoked } from './delegated-admin.repository.ts';

/**
 * Ends a grant at once, from either side. `scope` narrows which grants the calling route may touch
 * (e.g. only grants in one customer), so a grant id from elsewhere answers 404.
 */
export async function revokeDelegatedAdmin(
  ctx: UseCaseContext,
  grantId: string,
  scope: { partnerOrganizationId?: string; organizationId?: string } = {},
): Promise<GrantView> {
  const grant = await lockGrant(ctx.tx, grantId);
  if (
    grant === undefined ||
    !isGrantParty(ctx.actor, grant) ||
    (scope.partnerOrganizationId !== undefined && grant.partnerOrganizationId !== scope.partnerOrganizationId) ||
    (scope.organizationId !== undefined && grant.organizationId !== scope.organizationId)
  ) {
    throw notFound('delegated admin grant');
  }
  const now = ctx.clock.now();
  const state = effectiveState(grant, now);
  if (state !== 'active' && state !== 'expiring') {
    throw new AppError('grant_not_active', `The grant is ${state}.`);
  }
  await markRevoked(ctx.tx, grant.id, now, ctx.actor.organizationId);
  await ctx.audit.record({
    action: 'delegated_admin.revoked',
    target: { type: 'delegated_admin_grant', id: grant.id },
    organizationIds: [grant.organizationId, grant.partnerOrganizationId],
    before: { state: 'active' },
    after: { state: 'revoked' },
  });
  const [view] = await listGrantViews(ctx.tx, { ids: [grant.id] });
  if (view === undefined) throw notFound('delegated admin grant');
  return view;
}

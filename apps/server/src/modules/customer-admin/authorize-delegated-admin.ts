import type { DelegatedRole } from '@tierlink/contract';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { hasActiveRelationship } from '../customers/index.ts';
import { listGrantViews } from '../delegated-admin/index.ts';
import { delegatedAdminDecision } from './customer-admin.policy.ts';

/**
 * Loads the facts in the caller's transaction and decides. Grants are read at the moment of the
 * write, so a revoked or lapsed grant fails the very next request (DAP-01, DAP-09).
 */
export async function authorizeDelegatedAdmin(
  ctx: UseCaseContext,
  customerId: string,
  need: DelegatedRole,
): Promise<{ onBehalfOf?: { type: string; id: string } }> {
  const me = ctx.actor.organizationId;
  const own = me === customerId;
  const grants = own ? [] : await listGrantViews(ctx.tx, { partnerOrganizationId: me, organizationId: customerId, liveAt: ctx.clock.now() });
  const related = own ? false : await hasActiveRelationship(ctx.tx, me, customerId);
  const decision = delegatedAdminDecision(ctx.actor, customerId, need, { related, grants: grants.map((g) => ({ id: g.grant.id, roles: g.grant.roles })) });
  return decision === null ? {} : { onBehalfOf: { type: 'delegated_admin_grant', id: decision.grantId } };
}

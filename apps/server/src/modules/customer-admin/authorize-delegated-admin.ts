import type { DelegatedRole } from '@tierlink/contract';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { delegatedAccessFacts } from '../customers/index.ts';
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
  // One named statement: the relationship and the live grants together.
  const { related, grants } = own ? { related: false, grants: [] } : await delegatedAccessFacts(ctx.tx, me, customerId, ctx.clock.now());
  const decision = delegatedAdminDecision(ctx.actor, customerId, need, { related, grants: grants.map((g) => ({ id: g.id, roles: g.roles })) });
  return decision === null ? {} : { onBehalfOf: { type: 'delegated_admin_grant', id: decision.grantId } };
}

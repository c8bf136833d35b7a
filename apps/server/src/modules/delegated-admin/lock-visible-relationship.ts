import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { customerMaySee, sideOf, type Side } from './delegated-admin.policy.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { lockRelationship } from './relationships.repository.ts';

/**
 * Locks the relationship `FOR UPDATE` for a transition and says how the caller stands to it. A
 * relationship the caller may not see answers 404 whatever it is (a customer sees a request only
 * once it was locked for approval and, three-party, consented to).
 */
export async function lockVisibleRelationship(ctx: UseCaseContext, id: string): Promise<{ row: GrantRow; side: Side }> {
  const row = await lockRelationship(ctx.tx, id);
  const side = row === undefined ? null : sideOf(ctx.actor, row);
  if (row === undefined || side === null || (side === 'customer' && !customerMaySee(row)) || (side === 'reseller' && row.state === 'created')) {
    throw notFound('delegated admin relationship');
  }
  return { row, side };
}

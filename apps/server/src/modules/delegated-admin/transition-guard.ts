import type { RelationshipAction } from '@tierlink/contract';
import { AppError, forbidden } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { effectiveState, mayAct, type RelationshipState } from './delegated-admin.policy.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { lockVisibleRelationship } from './lock-visible-relationship.ts';

/**
 * Locks the relationship, checks the caller may send `action` (403 when it is a party that may
 * not) and that its state as of now is one of `from` (409 `relationship_transition_invalid`
 * otherwise: of two racing transitions, the second finds the state the first left).
 */
export async function lockForTransition(
  ctx: UseCaseContext,
  id: string,
  action: RelationshipAction,
  from: readonly RelationshipState[],
): Promise<{ row: GrantRow; state: RelationshipState }> {
  const { row, side } = await lockVisibleRelationship(ctx, id);
  if (!mayAct(ctx.actor, side, action)) throw forbidden(`The ${side} may not ${action.replaceAll('_', ' ')} this relationship, or your role does not allow it.`);
  const state = effectiveState(row, ctx.clock.now());
  if (!from.includes(state)) {
    throw new AppError('relationship_transition_invalid', `The relationship is ${state}: ${action.replaceAll('_', ' ')} needs it ${from.join(' or ')}.`);
  }
  return { row, state };
}

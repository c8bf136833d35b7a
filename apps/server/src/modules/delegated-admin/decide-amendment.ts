import { durationDays } from '@tierlink/contract';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { effectiveState, endOf, mayDecideAmendment } from './delegated-admin.policy.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import type { AmendmentRow } from './relationships.queries.ts';
import { lockVisibleRelationship } from './lock-visible-relationship.ts';
import { notifyParties, partiesOf, termsOf } from './relationship-notices.ts';
import { decideAmendment as writeDecision, findAmendment, updateRelationship } from './relationships.repository.ts';

/**
 * The customer approves or rejects a pending amendment. The relationship's row is locked first, so
 * an amendment and the expiry sweep (or a termination) never both win: an approval that finds the
 * relationship no longer active answers 409. The audit event records the terms before and after.
 */
export async function decideAmendment(
  ctx: UseCaseContext,
  relationshipId: string,
  amendmentId: string,
  decision: 'approve' | 'reject',
): Promise<{ relationship: GrantRow; amendment: AmendmentRow }> {
  const { row, side } = await lockVisibleRelationship(ctx, relationshipId);
  const amendment = await findAmendment(ctx.tx, row.id, amendmentId);
  if (amendment === undefined) throw notFound('amendment');
  if (side !== 'customer' || !mayDecideAmendment(ctx.actor, row)) throw forbidden('The customer\'s global admins and delegated admin approvers decide amendments.');
  if (amendment.state !== 'pending') throw new AppError('amendment_not_pending', `The amendment is already ${amendment.state}.`);
  const now = ctx.clock.now();
  const state = effectiveState(row, now);
  if (state !== 'active' && state !== 'expiring') {
    throw new AppError('relationship_transition_invalid', `The relationship is ${state}: its amendment can no longer be decided.`);
  }
  const decided = await writeDecision(ctx.tx, amendment.id, decision === 'approve' ? 'approved' : 'rejected', ctx.actor.userId, now);
  if (decision === 'reject') {
    await ctx.audit.record({
      action: 'delegated_admin.amendment_rejected',
      target: { type: 'delegated_admin_grant', id: row.id },
      organizationIds: partiesOf(row),
      after: { amendmentId: amendment.id, roles: amendment.roles, duration: amendment.duration },
    });
    await notifyParties(ctx, row, { subject: 'Amendment rejected', text: 'The customer rejected the proposed change; the terms below stay.', to: ['partner'] });
    return { relationship: row, amendment: decided };
  }
  const endsAt = amendment.duration === null || row.startsAt === null ? row.endsAt : endOf(row.startsAt, durationDays(amendment.duration));
  const updated = await updateRelationship(ctx.tx, row.id, {
    ...(amendment.roles === null ? {} : { roles: amendment.roles }),
    ...(amendment.duration === null ? {} : { duration: amendment.duration, endsAt, remindedDays: null }),
    updatedAt: now,
  });
  await ctx.audit.record({
    action: 'delegated_admin.amendment_approved',
    target: { type: 'delegated_admin_grant', id: row.id },
    organizationIds: partiesOf(row),
    before: termsOf(row),
    after: { ...termsOf(updated), amendmentId: amendment.id },
  });
  await notifyParties(ctx, updated, { subject: 'Amendment approved', text: 'The customer approved the change; the relationship now has the terms below.' });
  return { relationship: updated, amendment: decided };
}

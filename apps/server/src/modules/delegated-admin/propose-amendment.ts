import { durationDays, type DelegatedRole, type ProposeAmendmentBody } from '@tierlink/contract';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { assertAutoExtendAllowed } from './create-relationship.ts';
import { effectiveState, endOf } from './delegated-admin.policy.ts';
import type { AmendmentRow } from './relationships.queries.ts';
import { lockVisibleRelationship } from './lock-visible-relationship.ts';
import { notifyParties, partiesOf, termsOf } from './relationship-notices.ts';
import { insertAmendment, supersedePending } from './relationships.repository.ts';

/**
 * The partner proposes new roles and/or a new duration (counted from the start) for an active
 * relationship. Nothing changes until the customer approves: the old terms hold meanwhile. A newer
 * proposal supersedes a pending one.
 */
export async function proposeAmendment(ctx: UseCaseContext, id: string, input: ProposeAmendmentBody): Promise<AmendmentRow> {
  const { row, side } = await lockVisibleRelationship(ctx, id);
  if (side !== 'partner') throw side === 'customer' ? forbidden('Only the partner proposes amendments; the customer approves or rejects them.') : notFound('delegated admin relationship');
  if (!ctx.actor.roles.includes('global_admin') && !ctx.actor.roles.includes('admin_agent')) throw forbidden();
  const now = ctx.clock.now();
  const state = effectiveState(row, now);
  if (state !== 'active' && state !== 'expiring') {
    throw new AppError('relationship_transition_invalid', `The relationship is ${state}: only an active relationship is amended.`);
  }
  assertAutoExtendAllowed((input.roles ?? row.roles) as DelegatedRole[], row.autoExtendDuration);
  const duration = input.duration === undefined ? null : `P${durationDays(input.duration)}D`;
  if (duration !== null && row.startsAt !== null && endOf(row.startsAt, durationDays(duration)).getTime() <= now.getTime()) {
    throw new AppError('validation_failed', 'The new duration, counted from the relationship\'s start, has already passed.', 'duration');
  }
  await supersedePending(ctx.tx, row.id, now);
  const amendment = await insertAmendment(ctx.tx, {
    id: newId(),
    relationshipId: row.id,
    roles: input.roles === undefined ? null : [...input.roles],
    duration,
    state: 'pending',
    proposedByUserId: ctx.actor.userId,
    createdAt: now,
  });
  await ctx.audit.record({
    action: 'delegated_admin.amendment_proposed',
    target: { type: 'delegated_admin_grant', id: row.id },
    organizationIds: partiesOf(row),
    before: termsOf(row),
    after: { amendmentId: amendment.id, roles: amendment.roles, duration: amendment.duration },
  });
  await notifyParties(ctx, row, {
    subject: 'A partner proposes to change its delegated admin access',
    text: `The partner proposes ${[input.roles === undefined ? null : `the roles ${input.roles.join(', ')}`, duration === null ? null : `a duration of ${duration} from the start`].filter((p) => p !== null).join(' and ')}. The current terms below hold until you approve.`,
    to: ['customer'],
    withApprovalLink: true,
  });
  return amendment;
}

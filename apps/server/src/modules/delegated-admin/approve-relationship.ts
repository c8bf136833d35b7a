import { durationDays } from '@tierlink/contract';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { endOf } from './delegated-admin.policy.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { notifyParties, recordTransition, termsOf } from './relationship-notices.ts';
import { updateRelationship } from './relationships.repository.ts';
import { lockForTransition } from './transition-guard.ts';

/** The customer approves: approval_pending → active, for its duration from now. */
export async function approveRelationship(ctx: UseCaseContext, id: string): Promise<GrantRow> {
  const { row } = await lockForTransition(ctx, id, 'approve', ['approval_pending']);
  const now = ctx.clock.now();
  const endsAt = row.duration === null ? null : endOf(now, durationDays(row.duration));
  const updated = await updateRelationship(ctx.tx, row.id, { state: 'active', startsAt: now, endsAt, decidedAt: now, remindedDays: null, updatedAt: now });
  await recordTransition(ctx, 'delegated_admin.approved', updated, { state: 'approval_pending' }, termsOf(updated));
  await notifyParties(ctx, updated, { subject: 'Delegated admin access approved', text: 'The customer approved the relationship below; it is active now.' });
  return updated;
}

/** The customer rejects: approval_pending → rejected. */
export async function rejectRelationship(ctx: UseCaseContext, id: string): Promise<GrantRow> {
  const { row } = await lockForTransition(ctx, id, 'reject', ['approval_pending']);
  const now = ctx.clock.now();
  const updated = await updateRelationship(ctx.tx, row.id, { state: 'rejected', decidedAt: now, updatedAt: now });
  await recordTransition(ctx, 'delegated_admin.rejected', updated, { state: 'approval_pending' }, { state: 'rejected' });
  await notifyParties(ctx, updated, { subject: 'Delegated admin request rejected', text: 'The customer rejected the request below.' });
  return updated;
}

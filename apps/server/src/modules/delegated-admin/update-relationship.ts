import { durationDays, type DelegatedRole, type UpdateDelegatedAdminRelationshipBody } from '@tierlink/contract';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { assertAutoExtendAllowed, assertNameFree } from './create-relationship.ts';
import { etagOf } from './delegated-admin.policy.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { lockVisibleRelationship } from './lock-visible-relationship.ts';
import { termsOf } from './relationship-notices.ts';
import { deleteRelationship, updateRelationship } from './relationships.repository.ts';

/** The partner's draft, locked: only the partner, only while `created` (after that the customer has seen the terms). */
async function lockDraft(ctx: UseCaseContext, id: string): Promise<GrantRow> {
  const { row, side } = await lockVisibleRelationship(ctx, id);
  if (side !== 'partner') throw notFound('delegated admin relationship');
  if (row.state !== 'created') throw new AppError('relationship_not_editable', `The relationship is ${row.state}: only a relationship in created is changed or deleted; propose an amendment once it is active.`);
  return row;
}

/** Changes a draft under optimistic concurrency: `ifMatch` names the version read (428 without it, 412 when stale). */
export async function updateRelationshipDraft(ctx: UseCaseContext, id: string, input: UpdateDelegatedAdminRelationshipBody, ifMatch: string | undefined): Promise<GrantRow> {
  const row = await lockDraft(ctx, id);
  if (ifMatch === undefined) throw new AppError('precondition_required', 'Send If-Match with the ETag you read.');
  if (ifMatch !== etagOf(row)) throw new AppError('precondition_failed', 'The relationship changed since you read it; reload and retry.');
  assertAutoExtendAllowed((input.roles ?? row.roles) as DelegatedRole[], input.autoExtendDuration ?? row.autoExtendDuration);
  if (input.displayName !== undefined) await assertNameFree(ctx, input.displayName, row.id);
  const now = ctx.clock.now();
  const updated = await updateRelationship(ctx.tx, row.id, {
    ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
    ...(input.roles === undefined ? {} : { roles: [...input.roles] }),
    ...(input.duration === undefined ? {} : { duration: `P${durationDays(input.duration)}D` }),
    ...(input.autoExtendDuration === undefined ? {} : { autoExtendDuration: input.autoExtendDuration }),
    updatedAt: now,
  });
  await ctx.audit.record({
    action: 'delegated_admin.updated',
    target: { type: 'delegated_admin_grant', id: row.id },
    organizationIds: [row.partnerOrganizationId],
    before: { displayName: row.displayName, ...termsOf(row) },
    after: { displayName: updated.displayName, ...termsOf(updated) },
  });
  return updated;
}

export async function deleteRelationshipDraft(ctx: UseCaseContext, id: string): Promise<void> {
  const row = await lockDraft(ctx, id);
  await deleteRelationship(ctx.tx, row.id);
  await ctx.audit.record({
    action: 'delegated_admin.deleted',
    target: { type: 'delegated_admin_grant', id: row.id },
    organizationIds: [row.partnerOrganizationId],
    before: { displayName: row.displayName, ...termsOf(row) },
  });
}

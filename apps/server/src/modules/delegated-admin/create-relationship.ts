import { durationDays, managesAdmins, type CreateDelegatedAdminRelationshipBody, type DelegatedRole } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { termsOf } from './relationship-notices.ts';
import { displayNameTaken, insertRelationship } from './relationships.repository.ts';

/** Whom a partner may ask: wired by the app from the customers and partnerships modules (which sit above this one). */
export interface RequestReach {
  /** The partner is of record for the customer (an active reseller relationship). */
  servesCustomer(db: Executor, partnerId: string, customerId: string): Promise<boolean>;
  /** Three-party: the provider has an active partnership with the reseller, and the reseller serves the customer. */
  sharesThroughReseller(db: Executor, providerId: string, resellerId: string, customerId: string): Promise<boolean>;
}

/** Refuses auto-extend with a role that reaches the customer's administrators (as GDAP does with Global Administrator). */
export function assertAutoExtendAllowed(roles: readonly DelegatedRole[], autoExtend: string): void {
  if (autoExtend !== 'P0D' && managesAdmins(roles)) {
    throw new AppError('auto_extend_not_allowed', 'A relationship with a role that manages the customer\'s admins (user_admin) cannot auto-extend.', 'autoExtendDuration');
  }
}

export async function assertNameFree(ctx: UseCaseContext, name: string, exceptId: string | null): Promise<void> {
  if (await displayNameTaken(ctx.tx, ctx.actor.organizationId, name, exceptId)) {
    throw new AppError('display_name_taken', 'Your organization already has a relationship with this name.', 'displayName');
  }
}

/** The partner drafts a relationship (state `created`); nothing is sent until it locks it for approval. */
export async function createRelationship(ctx: UseCaseContext, input: CreateDelegatedAdminRelationshipBody, reach: RequestReach): Promise<GrantRow> {
  const me = ctx.actor.organizationId;
  const resellerId = input.resellerId ?? null;
  const reachable =
    resellerId === null ? await reach.servesCustomer(ctx.tx, me, input.customerId) : await reach.sharesThroughReseller(ctx.tx, me, resellerId, input.customerId);
  if (!reachable) {
    throw resellerId === null
      ? new AppError('not_found', 'The customer does not exist or is not one of yours.', 'customerId')
      : new AppError('reseller_not_shared', 'That reseller is not your partner serving this customer.', 'resellerId');
  }
  assertAutoExtendAllowed(input.roles, input.autoExtendDuration);
  await assertNameFree(ctx, input.displayName, null);
  const now = ctx.clock.now();
  const id = newId();
  const row = await insertRelationship(ctx.tx, {
    id,
    organizationId: input.customerId,
    partnerOrganizationId: me,
    displayName: input.displayName,
    roles: [...input.roles],
    state: 'created',
    duration: `P${durationDays(input.duration)}D`,
    autoExtendDuration: input.autoExtendDuration,
    resellerOrganizationId: resellerId,
    originType: 'request',
    originId: id,
    createdByUserId: ctx.actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  // Only the partner sees a relationship in `created`: the audit event concerns it alone.
  await ctx.audit.record({ action: 'delegated_admin.created', target: { type: 'delegated_admin_grant', id }, organizationIds: [me], after: termsOf(row) });
  return row;
}

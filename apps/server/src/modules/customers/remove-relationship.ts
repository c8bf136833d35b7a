import type { Subscription } from '@tierlink/contract';
import { AppError, notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listGrantViews, revokeDelegatedAdmin, type GrantView } from '../delegated-admin/index.ts';
import { listOrganizationAdmins } from '../identity/index.ts';
import { findRelationshipViews, lockActiveRelationship, markRemoved, type RelationshipView } from './customers.repository.ts';

export interface RemoveInput {
  attestation: boolean;
  revokeDelegatedAdmin: boolean;
  notifyCustomer: boolean;
}

export interface RemovedRelationship {
  relationship: RelationshipView;
  remaining: GrantView[];
  revoked: GrantView[];
  /** The caller's subscriptions for the customer, which removing the relationship leaves as they are. */
  subscriptions: Subscription[];
}

/** The caller's subscriptions for a customer: commerce provides it (it depends on this module). */
export type SubscriptionsLeftBehind = (ctx: UseCaseContext, customerId: string) => Promise<Subscription[]>;

/**
 * Ends the caller's reseller relationship with a customer. Delegated admin grants are left as they
 * are unless the caller asks to revoke them in the same step; the answer lists what remains.
 */
export async function removeRelationship(
  ctx: UseCaseContext,
  customerId: string,
  input: RemoveInput,
  subscriptionsLeftBehind: SubscriptionsLeftBehind,
): Promise<RemovedRelationship> {
  if (!input.attestation) {
    throw new AppError(
      'attestation_required',
      'Confirm that you are removing this relationship in good faith and have told the customer what it means.',
      'attestation',
    );
  }
  const me = ctx.actor.organizationId;
  const relationship = await lockActiveRelationship(ctx.tx, me, customerId);
  if (relationship === undefined) throw notFound('customer');
  const now = ctx.clock.now();
  await markRemoved(ctx.tx, relationship.id, now);
  await ctx.audit.record({
    action: 'reseller_relationship.removed',
    target: { type: 'reseller_relationship', id: relationship.id },
    organizationIds: [me, customerId],
    before: { state: 'active' },
    after: { state: 'removed', attestation: true, revokeDelegatedAdmin: input.revokeDelegatedAdmin },
  });

  const live = await listGrantViews(ctx.tx, { partnerOrganizationId: me, organizationId: customerId, liveAt: now });
  const revoked: GrantView[] = [];
  if (input.revokeDelegatedAdmin) {
    for (const view of live) {
      revoked.push(await revokeDelegatedAdmin(ctx, view.grant.id, { partnerOrganizationId: me, organizationId: customerId }));
    }
  }
  const [view] = await findRelationshipViews(ctx.tx, [relationship.id]);
  if (view === undefined) throw notFound('customer');
  if (input.notifyCustomer) {
    for (const admin of await listOrganizationAdmins(ctx.tx, customerId)) {
      await ctx.outbox.email(
        {
          to: admin.email,
          subject: `${view.partner.name} is no longer your reseller`,
          text: `Hello ${admin.displayName},\n\n${view.partner.name} has ended its reseller relationship with ${view.customer.name}.` +
            (input.revokeDelegatedAdmin ? '\nIts delegated admin access to your organization has been revoked as well.\n' : '\n'),
        },
        'reseller_relationship.removed',
      );
    }
  }
  const subscriptions = await subscriptionsLeftBehind(ctx, customerId);
  return { relationship: view, remaining: input.revokeDelegatedAdmin ? [] : live, revoked, subscriptions };
}

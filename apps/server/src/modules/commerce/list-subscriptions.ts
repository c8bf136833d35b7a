import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { hasActiveRelationship } from '../customers/index.ts';
import { listOrderViews, listSubscriptionViews, type OrderView, type SubscriptionView } from './commerce.repository.ts';

/**
 * A partner sees a customer's subscriptions and orders only while it has an active relationship
 * with the customer, and only those it is the provider or reseller of record of; the customer's
 * own admins see all of theirs.
 */
async function scopeOf(ctx: UseCaseContext, customerId: string): Promise<string | null> {
  if (ctx.actor.organizationKind === 'customer') {
    if (ctx.actor.organizationId !== customerId) throw notFound('customer');
    return null;
  }
  if (!(await hasActiveRelationship(ctx.tx, ctx.actor.organizationId, customerId))) throw notFound('customer');
  return ctx.actor.organizationId;
}

export async function listSubscriptions(ctx: UseCaseContext, customerId: string): Promise<SubscriptionView[]> {
  return listSubscriptionViews(ctx.tx, { customerId, partnerId: await scopeOf(ctx, customerId) });
}

export async function getSubscription(ctx: UseCaseContext, customerId: string, id: string): Promise<SubscriptionView> {
  const [view] = await listSubscriptionViews(ctx.tx, { customerId, partnerId: await scopeOf(ctx, customerId), id });
  if (view === undefined) throw notFound('subscription');
  return view;
}

export async function listOrders(ctx: UseCaseContext, customerId: string): Promise<OrderView[]> {
  return listOrderViews(ctx.tx, customerId, await scopeOf(ctx, customerId), 200);
}

/** What a partner still holds for a customer after its relationship ended (no relationship check). */
export async function subscriptionsLeftBehind(ctx: UseCaseContext, customerId: string): Promise<SubscriptionView[]> {
  return listSubscriptionViews(ctx.tx, { customerId, partnerId: ctx.actor.organizationId });
}

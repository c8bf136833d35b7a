import { and, eq, inArray } from 'drizzle-orm';
import type { Subscription } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { creditTerms, skus, subscriptions } from '../../db/schema.ts';
import { findOrganization } from '../identity/index.ts';
import { periodStart } from './commerce.policy.ts';
import { presentCredit, presentOrder, presentSubscription } from './commerce.presenter.ts';
import { exposure, findCredit, findOrderView, listSubscriptionViews, type SubscriptionRow } from './commerce.repository.ts';

// Public reads of commerce: other modules call these through index.ts.

/** The customer's subscription, locked for the caller's transaction (seats are counted under it). */
export async function lockSubscription(db: Executor, customerId: string, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.organizationId, customerId)))
    .for('update');
  return row;
}

/** The SKU name of each subscription (for the licenses a customer's users hold). */
export async function subscriptionSkuNames(db: Executor, subscriptionIds: string[]): Promise<Map<string, string>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = await db
    .select({ id: subscriptions.id, skuName: skus.name })
    .from(subscriptions)
    .innerJoin(skus, eq(skus.id, subscriptions.skuId))
    .where(inArray(subscriptions.id, subscriptionIds));
  return new Map(rows.map((r) => [r.id, r.skuName]));
}

export interface CreditView {
  provider: { id: string; name: string; domain: string; country: string };
  reseller: { id: string; name: string; domain: string; country: string };
  limit: number | null;
  currency: string | null;
  exposure: number;
  available: number;
  periodStart: Date;
}

/** A provider–reseller credit line with this month's exposure; null when either organization is gone. */
export async function creditView(db: Executor, providerId: string, resellerId: string, now: Date): Promise<CreditView | null> {
  const [provider, reseller] = await Promise.all([findOrganization(db, providerId), findOrganization(db, resellerId)]);
  if (provider === undefined || reseller === undefined) return null;
  const credit = await findCredit(db, providerId, resellerId);
  const start = periodStart(now);
  const used = await exposure(db, providerId, resellerId, start);
  const ref = (o: typeof provider) => ({ id: o.id, name: o.name, domain: o.domain, country: o.country });
  return {
    provider: ref(provider),
    reseller: ref(reseller),
    limit: credit?.limitAmount ?? null,
    currency: credit?.currency ?? null,
    exposure: used,
    available: Math.max((credit?.limitAmount ?? 0) - used, 0),
    periodStart: start,
  };
}

/** The order as the API presents it; null when there is none. */
export async function presentOrderById(db: Executor, id: string): Promise<ReturnType<typeof presentOrder> | null> {
  const view = await findOrderView(db, id);
  return view === undefined ? null : presentOrder(view);
}

/** The subscription as the API presents it; null when there is none. */
export async function presentSubscriptionById(db: Executor, id: string): Promise<Subscription | null> {
  const [row] = await db.select({ customerId: subscriptions.organizationId }).from(subscriptions).where(eq(subscriptions.id, id)).limit(1);
  if (row === undefined) return null;
  const [view] = await listSubscriptionViews(db, { customerId: row.customerId, id });
  return view === undefined ? null : presentSubscription(view);
}

/** The credit line (by its terms' id) as the API presents it at `now`; null when there is none. */
export async function presentCreditById(db: Executor, id: string, now: Date): Promise<ReturnType<typeof presentCredit> | null> {
  const [terms] = await db
    .select({ providerId: creditTerms.providerOrganizationId, resellerId: creditTerms.resellerOrganizationId })
    .from(creditTerms)
    .where(eq(creditTerms.id, id))
    .limit(1);
  const view = terms === undefined ? null : await creditView(db, terms.providerId, terms.resellerId, now);
  return view === null ? null : presentCredit(view);
}

import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Subscription } from '@tierlink/contract';
import { preparedQuery, type Executor } from '../../db/database.ts';
import { creditTerms, orders, organizations, products, skus, subscriptions } from '../../db/schema.ts';
import { findOrganization } from '../identity/index.ts';
import { currentExposure, periodStart } from './commerce.policy.ts';
import { presentCredit, presentOrder, presentSubscription } from './commerce.presenter.ts';
import { exposure, findCredit, pairExposure, findOrderView, listSubscriptionViews, type SubscriptionRow } from './commerce.repository.ts';

// Public reads of commerce: other modules call these through index.ts.

/** The customer's subscription, locked for the caller's transaction (seats are counted under it). */
export async function lockSubscription(db: Executor, customerId: string, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await subscriptionLock(db).execute({ customerId, id });
  return row;
}

const subscriptionLock = preparedQuery('commerce_subscription_lock', (db) =>
  db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.id, sql.placeholder('id')), eq(subscriptions.organizationId, sql.placeholder('customerId'))))
    .for('update'),
);

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
  // The line's running counter when it is of this period (none of its orders this month: 0); a pair
  // without a line (orders its provider placed naming the reseller) is summed.
  const used = credit === undefined ? await exposure(db, providerId, resellerId, start) : currentExposure(credit, start);
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

// ---- home dashboards: aggregates computed in SQL, each one index range scan

/** Completed orders of one month and currency (`YYYY-MM`, UTC). */
export interface MonthlyOrders {
  month: string;
  currency: string;
  orders: number;
  amount: number;
}

/**
 * Completed orders since `since`, per UTC month and currency: of one provider, of one reseller of
 * record, or of everybody (the operator). Each scope reads an index on (scope, created_at) that
 * also holds state, currency and amount, so only the months asked for are visited.
 */
export async function ordersByMonth(
  db: Executor,
  scope: { providerId: string } | { resellerId: string } | 'all',
  since: Date,
  now: Date,
): Promise<MonthlyOrders[]> {
  if (scope !== 'all') return monthlyOrders(db, scope, since, null);
  // Everybody's orders: a year of the whole program is too many rows to sum per request, but a
  // closed month never changes (orders are inserted once, completed, at the time they are placed,
  // and never updated or deleted), so closed months are summed once per process and database; an
  // hour's margin after a month ends covers clocks of other nodes that run a little behind.
  const closedBefore = startOfMonth(new Date(now.getTime() - 60 * 60 * 1000));
  const cache = closedMonthsOf(db);
  const closed = monthsBetween(since, closedBefore);
  if (closed.some((m) => !cache.has(m))) {
    const rows = await monthlyOrders(db, 'all', since, closedBefore);
    for (const m of closed) cache.set(m, rows.filter((r) => r.month === m));
  }
  return [...closed.flatMap((m) => cache.get(m) ?? []), ...(await monthlyOrders(db, 'all', closedBefore > since ? closedBefore : since, null))];
}

async function monthlyOrders(db: Executor, scope: { providerId: string } | { resellerId: string } | 'all', since: Date, before: Date | null): Promise<MonthlyOrders[]> {
  // Grouped by the month's first instant (cheap per row), named once per group.
  const month = sql<Date>`date_trunc('month', ${orders.createdAt}, 'UTC')`;
  const rows = await db
    .select({ month: sql<string>`to_char(${month} at time zone 'UTC', 'YYYY-MM')`, currency: orders.currency, orders: sql<number>`count(*)::int`, amount: sql<string>`coalesce(sum(${orders.totalAmount}), 0)::bigint` })
    .from(orders)
    .where(
      and(
        scope === 'all'
          ? undefined
          : 'providerId' in scope
            ? eq(orders.providerOrganizationId, scope.providerId)
            : eq(orders.resellerOrganizationId, scope.resellerId),
        gte(orders.createdAt, since),
        before === null ? undefined : lt(orders.createdAt, before),
        eq(orders.state, 'completed'),
      ),
    )
    .groupBy(month, orders.currency);
  return rows.map((r) => ({ month: r.month, currency: r.currency, orders: Number(r.orders), amount: Number(r.amount) }));
}

/** Program-wide totals of closed months, per database handle (`YYYY-MM` → its rows). */
const closedMonthsCache = new WeakMap<object, Map<string, MonthlyOrders[]>>();
function closedMonthsOf(db: Executor): Map<string, MonthlyOrders[]> {
  let cache = closedMonthsCache.get(db);
  if (cache === undefined) {
    cache = new Map();
    closedMonthsCache.set(db, cache);
  }
  return cache;
}

function startOfMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** `YYYY-MM` of every month starting in [from, before). */
function monthsBetween(from: Date, before: Date): string[] {
  const months: string[] = [];
  for (let m = startOfMonth(from); m < before; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    if (m >= from) months.push(m.toISOString().slice(0, 7));
  }
  return months;
}

export interface CreditUsageRow {
  partner: { id: string; name: string; domain: string; country: string };
  used: number;
  limit: number | null;
  currency: string | null;
}

/**
 * The credit lines between `me` and each of `partnerIds` (the caller's active partners, `side` is
 * the caller's): completed orders since `since` (the exposure `creditView` reports) against the
 * limit, most used first, at most `limit` lines. One statement; each line's exposure is a range of
 * the (provider, reseller, created_at) index.
 */
export async function creditUsage(
  db: Executor,
  side: 'provider' | 'reseller',
  me: string,
  partnerIds: readonly string[],
  since: Date,
  limit: number,
): Promise<CreditUsageRow[]> {
  if (partnerIds.length === 0) return [];
  const [providerOf, resellerOf] = side === 'provider' ? [sql`${me}::uuid`, sql`p.id`] : [sql`p.id`, sql`${me}::uuid`];
  const result = (await db.execute(sql`
    select o.id, o.name, o.domain, o.country, c.limit_amount, c.currency,
      coalesce(
        case when c.id is not null then (case when c.exposure_period = ${since.toISOString()}::timestamptz then c.exposure_amount else 0 end) end,
        ${pairExposure(providerOf, resellerOf, since)}) as used
    from unnest(${`{${partnerIds.join(',')}}`}::uuid[]) as p(id)
    join ${organizations} o on o.id = p.id
    left join ${creditTerms} c on c.provider_organization_id = ${providerOf} and c.reseller_organization_id = ${resellerOf}
    order by used desc, lower(o.name), o.id
    limit ${limit}`)) as unknown as {
    rows: { id: string; name: string; domain: string; country: string; limit_amount: number | null; currency: string | null; used: string | number }[];
  };
  return result.rows.map((r) => ({
    partner: { id: r.id, name: r.name, domain: r.domain, country: r.country },
    used: Number(r.used),
    limit: r.limit_amount === null ? null : Number(r.limit_amount),
    currency: r.currency,
  }));
}

export interface ProductSubscriptions {
  product: { id: string; name: string };
  subscriptions: number;
  seats: number;
}

/**
 * Active subscriptions of which `resellerId` is reseller of record, per product, most first:
 * counted per SKU on the (reseller, sku, status, quantity) index, then named.
 */
export async function subscriptionsByProduct(db: Executor, resellerId: string): Promise<ProductSubscriptions[]> {
  const perSku = db
    .select({ skuId: subscriptions.skuId, count: sql<number>`count(*)::int`.as('count'), seats: sql<string>`sum(${subscriptions.quantity})::bigint`.as('seats') })
    .from(subscriptions)
    .where(and(eq(subscriptions.resellerOrganizationId, resellerId), eq(subscriptions.status, 'active')))
    .groupBy(subscriptions.skuId)
    .as('per_sku');
  const rows = await db
    .select({ id: products.id, name: products.name, subscriptions: sql<number>`sum(${perSku.count})::int`, seats: sql<string>`sum(${perSku.seats})::bigint` })
    .from(perSku)
    .innerJoin(skus, eq(skus.id, perSku.skuId))
    .innerJoin(products, eq(products.id, skus.productId))
    .groupBy(products.id, products.name)
    .orderBy(sql`3 desc`, products.name);
  return rows.map((r) => ({ product: { id: r.id, name: r.name }, subscriptions: Number(r.subscriptions), seats: Number(r.seats) }));
}

// Offboarding's reads (the offboarding module composes them into a plan).

export interface SubscriptionOfRecord {
  id: string;
  version: number;
  customer: { id: string; name: string; domain: string; country: string };
  providerOrganizationId: string;
  resellerOrganizationId: string | null;
  skuName: string;
  quantity: number;
}

/**
 * Active subscriptions of a provider with a reseller of record (`providerId` and `resellerId`), or
 * of one customer where the partner is provider or reseller of record (`customerId` and
 * `partnerId`), oldest first.
 */
export async function activeSubscriptionsOfRecord(
  db: Executor,
  filter: { providerId: string; resellerId: string } | { customerId: string; partnerId: string },
): Promise<SubscriptionOfRecord[]> {
  const scope =
    'providerId' in filter
      ? and(eq(subscriptions.providerOrganizationId, filter.providerId), eq(subscriptions.resellerOrganizationId, filter.resellerId))
      : and(
          eq(subscriptions.organizationId, filter.customerId),
          sql`(${subscriptions.providerOrganizationId} = ${filter.partnerId} or ${subscriptions.resellerOrganizationId} = ${filter.partnerId})`,
        );
  return db
    .select({
      id: subscriptions.id,
      version: subscriptions.version,
      customer: { id: organizations.id, name: organizations.name, domain: organizations.domain, country: organizations.country },
      providerOrganizationId: subscriptions.providerOrganizationId,
      resellerOrganizationId: subscriptions.resellerOrganizationId,
      skuName: skus.name,
      quantity: subscriptions.quantity,
    })
    .from(subscriptions)
    .innerJoin(organizations, eq(organizations.id, subscriptions.organizationId))
    .innerJoin(skus, eq(skus.id, subscriptions.skuId))
    .where(and(scope, eq(subscriptions.status, 'active')))
    .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id));
}

/** The provider's credit line for the reseller, if it set one. */
export async function creditLineOf(
  db: Executor,
  providerId: string,
  resellerId: string,
): Promise<{ id: string; limitAmount: number; currency: string; updatedAt: Date } | undefined> {
  const row = await findCredit(db, providerId, resellerId);
  return row === undefined ? undefined : { id: row.id, limitAmount: row.limitAmount, currency: row.currency, updatedAt: row.updatedAt };
}

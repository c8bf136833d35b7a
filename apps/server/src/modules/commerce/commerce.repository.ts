import { countCap, type ListCount, type OrderSort, type OrderState, type SubscriptionSort, type SubscriptionStatus } from '@tierlink/contract';
import { and, asc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedSql, type Executor } from '../../db/database.ts';
import type { AuditStamp } from '../../platform/audit.ts';
import { auditedChange, stampValues } from '../../platform/audited-change.ts';
import { countUpTo, likePrefix } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type SortKey } from '../../platform/sorted-keyset.ts';
import {
  creditTerms,
  idempotencyKeys,
  licenseAssignments,
  orderLines,
  orders,
  organizations,
  partnerships,
  products,
  resellerRelationships,
  skus,
  subscriptions,
} from '../../db/schema.ts';
import { activeRelationshipExists } from '../customers/index.ts';
import type { OrganizationRef } from '../delegated-admin/index.ts';

export type ProductRow = typeof products.$inferSelect;
export type SkuRow = typeof skus.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type CreditRow = typeof creditTerms.$inferSelect;
export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

const customerOrg = alias(organizations, 'customer_org');
const providerOrg = alias(organizations, 'provider_org');
const resellerOrg = alias(organizations, 'reseller_org');

// ---- catalog

export async function insertProduct(db: Executor, row: typeof products.$inferInsert): Promise<ProductRow> {
  const [created] = await db.insert(products).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function insertSkus(db: Executor, rows: (typeof skus.$inferInsert)[]): Promise<SkuRow[]> {
  return db.insert(skus).values(rows).returning();
}

export async function listCatalog(db: Executor): Promise<{ product: ProductRow; skus: SkuRow[] }[]> {
  const productRows = await db.select().from(products).orderBy(asc(products.name), asc(products.id)).limit(1000);
  const skuRows = productRows.length === 0 ? [] : await db.select().from(skus).where(inArray(skus.productId, productRows.map((p) => p.id))).orderBy(asc(skus.name));
  return productRows.map((product) => ({ product, skus: skuRows.filter((s) => s.productId === product.id) }));
}

export async function lockSku(db: Executor, id: string): Promise<SkuRow | undefined> {
  const [row] = await db.select().from(skus).where(eq(skus.id, id)).for('update');
  return row;
}

export async function updateSkuRow(db: Executor, id: string, changes: Partial<typeof skus.$inferInsert>): Promise<SkuRow> {
  const [row] = await db.update(skus).set(changes).where(eq(skus.id, id)).returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

// ---- idempotency

export async function lockIdempotencyKey(db: Executor, organizationId: string, key: string): Promise<IdempotencyRow | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)))
    .for('update');
  return row;
}

/** Takes over an expired key for a new request and the order it will make (the key is written once per order). */
export async function resetIdempotencyKey(db: Executor, organizationId: string, key: string, requestHash: string, now: Date, orderId: string): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ requestHash, orderId, createdAt: now })
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)));
}

// ---- orders

export interface OrderView {
  order: OrderRow;
  customer: OrganizationRef;
  provider: OrganizationRef;
  reseller: OrganizationRef | null;
  lines: OrderLineRow[];
}

function selectOrders(db: Executor) {
  return db
    .select({
      order: orders,
      customer: { id: customerOrg.id, name: customerOrg.name, domain: customerOrg.domain, country: customerOrg.country },
      provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country },
      reseller: { id: resellerOrg.id, name: resellerOrg.name, domain: resellerOrg.domain, country: resellerOrg.country },
    })
    .from(orders)
    .innerJoin(customerOrg, eq(customerOrg.id, orders.organizationId))
    .innerJoin(providerOrg, eq(providerOrg.id, orders.providerOrganizationId))
    .leftJoin(resellerOrg, eq(resellerOrg.id, orders.resellerOrganizationId));
}

async function withLines(db: Executor, rows: Omit<OrderView, 'lines'>[]): Promise<OrderView[]> {
  const lines = rows.length === 0 ? [] : await db.select().from(orderLines).where(inArray(orderLines.orderId, rows.map((r) => r.order.id)));
  return rows.map((r) => ({ ...r, lines: lines.filter((l) => l.orderId === r.order.id) }));
}

export async function findOrderView(db: Executor, id: string): Promise<OrderView | undefined> {
  const [view] = await withLines(db, await selectOrders(db).where(eq(orders.id, id)).limit(1));
  return view;
}

/** Orders of a customer that the partner is party to (as provider or reseller of record). */
export async function listOrderViews(db: Executor, customerId: string, partnerId: string | null, limit: number): Promise<OrderView[]> {
  const party = partnerId === null ? undefined : or(eq(orders.providerOrganizationId, partnerId), eq(orders.resellerOrganizationId, partnerId));
  return withLines(db, await selectOrders(db).where(and(eq(orders.organizationId, customerId), party)).orderBy(sql`${orders.createdAt} desc`, sql`${orders.id} desc`).limit(limit));
}

/**
 * Completed order amounts billed to the reseller through the provider since `since` (a scalar
 * subquery, the pair given as SQL): what a credit line's running counter must equal.
 */
export function pairExposure(providerId: SQL, resellerId: SQL, since: Date): SQL {
  return sql`(select coalesce(sum(o.total_amount), 0)::bigint from ${orders} o
    where o.provider_organization_id = ${providerId} and o.reseller_organization_id = ${resellerId}
      and o.state = 'completed' and o.created_at >= ${since.toISOString()}::timestamptz)`;
}

/** The pair's exposure since `since`, summed (for a pair without a credit line: no counter to read). */
export async function exposure(db: Executor, providerId: string, resellerId: string, since: Date): Promise<number> {
  const result = (await db.execute(sql`select ${pairExposure(sql`${providerId}::uuid`, sql`${resellerId}::uuid`, since)}::text as total`)) as unknown as {
    rows: { total: string }[];
  };
  return Number(result.rows[0]?.total ?? 0);
}

/** A credit line whose running exposure differs from the sum of its period's orders. */
export interface ExposureDrift {
  id: string;
  counter: number;
  sum: number;
}

/**
 * Recounts the lines whose counter is of the period starting at `period` (the current month) and
 * returns those whose counter differs from the sum of their orders in it. Read only: see
 * `checkCreditExposure` for why drift is reported, not repaired.
 */
export async function exposureDrift(db: Executor, period: Date): Promise<ExposureDrift[]> {
  const since = period.toISOString();
  const result = (await db.execute(sql`
    select c.id, c.exposure_amount::text as counter, s.total::text as sum
    from ${creditTerms} c
    cross join lateral (select ${pairExposure(sql`c.provider_organization_id`, sql`c.reseller_organization_id`, period)} as total) s
    where c.exposure_period = ${since}::timestamptz and c.exposure_amount <> s.total
    order by c.id`)) as unknown as { rows: { id: string; counter: string; sum: string }[] };
  return result.rows.map((r) => ({ id: r.id, counter: Number(r.counter), sum: Number(r.sum) }));
}

// ---- subscriptions

// ---- placing an order: few statements, since an order's cost is its round trips

/** What placing an order needs to know about a SKU. */
export interface OrderSku {
  id: string;
  name: string;
  currency: string;
  monthlyPrice: number | null;
  annualPrice: number | null;
  minQuantity: number;
  maxQuantity: number;
}

export interface OrderFactsQuery {
  /**
   * Claims this key first, with the id the order will get (made before the claim, so the key is
   * written once); without it, the caller already holds the key (reset after expiry).
   */
  claim?: typeof idempotencyKeys.$inferInsert & { orderId: string };
  actorId: string;
  customerId: string;
  /** The provider and reseller the order would name; the partnership between them is checked. */
  providerId: string;
  resellerId: string | null;
  /** The named other party, whose own relationship with the customer is checked. */
  otherId: string | null;
  skuIds: string[];
  /** The order's lines as asked: the credit line's counter grows by their price (see `credit`). */
  lines: { skuId: string; billingCycle: 'monthly' | 'annual'; quantity: number }[];
  /**
   * The credit line of the order's provider and reseller (when it names a reseller): locked and its
   * running exposure raised by the order's amount in the period starting at `period`.
   */
  credit: { providerId: string; resellerId: string; period: Date } | null;
}

export interface OrderFacts {
  /** False when another request holds or held the key: then nothing else here was locked. */
  claimed: boolean;
  actorRelated: boolean;
  partnered: boolean;
  otherRelated: boolean;
  skus: OrderSku[];
  /** The customer, provider and reseller that exist, for the order's view. */
  organizations: OrganizationRef[];
  /**
   * The credit line, null when there is none (or no reseller): `used` is its exposure in the period
   * before this order, `amount` what this statement priced the order at (the lines that name a SKU
   * and a cycle it is sold on) and added to the counter.
   */
  credit: { limitAmount: number; currency: string; used: number; amount: number } | null;
}

/**
 * One statement: claims the idempotency key, reads what the order's checks need, and adds the order
 * to its credit line's running exposure (only once the key is claimed, in that order). The update
 * is the line's lock and its counter's write at once: it waits for the line's other orders and
 * works on the latest counter (READ COMMITTED re-reads the row it waited for), so the exposure it
 * returns is exact. The order's checks run afterwards in the caller, whose throw rolls the addition
 * back with the claim. The other reads share the statement's snapshot; none of them locks, so an
 * earlier snapshot changes nothing they could guarantee.
 *
 * The counter (`exposure_period`, `exposure_amount`) equals the sum of the completed orders of the
 * pair since the period's start: every order is completed when inserted and never changes state,
 * so placing an order is the only write that changes the sum. The first order of a new month starts
 * it afresh; an order dated before the line's period (a clock behind another node's) leaves it alone.
 */
export async function loadOrderFacts(db: Executor, q: OrderFactsQuery): Promise<OrderFacts> {
  const values = {
    actorId: q.actorId,
    customerId: q.customerId,
    providerId: q.providerId,
    resellerId: q.resellerId,
    otherId: q.otherId,
    skuIds: q.skuIds,
    lines: JSON.stringify(q.lines.map((l) => ({ sku_id: l.skuId, billing_cycle: l.billingCycle, quantity: l.quantity }))),
    creditProviderId: q.credit?.providerId ?? null,
    creditResellerId: q.credit?.resellerId ?? null,
    period: q.credit === null ? null : q.credit.period.toISOString(),
  };
  const rows =
    q.claim === undefined
      ? await orderFacts(db).execute(values)
      : await orderFactsWithClaim(db).execute({
          ...values,
          claimOrganizationId: q.claim.organizationId,
          claimKey: q.claim.key,
          claimRequestHash: q.claim.requestHash,
          claimOrderId: q.claim.orderId,
          claimCreatedAt: q.claim.createdAt instanceof Date ? q.claim.createdAt.toISOString() : q.claim.createdAt,
        });
  const row = rows[0];
  if (row === undefined) throw new Error('order facts returned nothing');
  return {
    claimed: row.claimed,
    actorRelated: row.actor_related,
    partnered: row.partnered,
    otherRelated: row.other_related,
    skus: row.skus,
    organizations: row.organizations,
    // Counter and amount are bigints, sent as text: exact whatever their size.
    credit: row.credit === null ? null : { limitAmount: row.credit.limitAmount, currency: row.credit.currency, used: Number(row.credit.used), amount: Number(row.credit.amount) },
  };
}

interface OrderFactsRow extends Record<string, unknown> {
  claimed: boolean;
  actor_related: boolean;
  partnered: boolean;
  other_related: boolean;
  skus: OrderSku[];
  organizations: OrganizationRef[];
  credit: { limitAmount: number; currency: string; used: string; amount: string } | null;
}

/*
 * The order's two statements are named prepared statements (the facts in two texts: claiming the
 * key or, after an expired key's reset, not): their values are placeholders, the SKUs one uuid
 * array, growth and lines one JSON value each, so an order of any number of lines runs the same text.
 */
const uuidParam = (name: string) => sql`${sql.placeholder(name)}::uuid`;

/** The facts an order is checked against, after `claim` (the idempotency key's insert, or none), with the order added to its credit line. */
function orderFactsStatement(claim: SQL): SQL {
  const customer = uuidParam('customerId');
  const period = sql`${sql.placeholder('period')}::timestamptz`;
  const related = (partnerId: SQL) => sql`exists (
    select 1 from ${resellerRelationships} r
    where r.partner_organization_id = ${partnerId} and r.customer_organization_id = ${customer} and r.state = 'active')`;
  // The order's amount as the caller prices it (a line whose SKU or cycle has no price adds
  // nothing, and the caller refuses that order): the caller checks the two agree.
  const priced = sql`(select coalesce(sum(case l.billing_cycle when 'monthly' then k.monthly_price when 'annual' then k.annual_price end::bigint * l.quantity), 0) as amount
      from jsonb_to_recordset(${sql.placeholder('lines')}::jsonb) as l(sku_id uuid, billing_cycle text, quantity int)
      join ${skus} k on k.id = l.sku_id)`;
  return sql`
    with claim as (${claim}),
    credit as (
      update ${creditTerms} as c set
        exposure_amount = case
          when c.exposure_period = ${period} then c.exposure_amount + t.amount
          when c.exposure_period is null or c.exposure_period < ${period} then t.amount
          else c.exposure_amount end,
        exposure_period = greatest(c.exposure_period, ${period})
      from ${priced} t
      where c.provider_organization_id = ${uuidParam('creditProviderId')} and c.reseller_organization_id = ${uuidParam('creditResellerId')}
        and exists (select 1 from claim)
      returning c.limit_amount, c.currency, t.amount,
        -- Before this order: the counter less the order, unless the order was not added (dated before the line's period).
        case when c.exposure_period = ${period} then c.exposure_amount - t.amount else c.exposure_amount end as used
    )
    select
      exists (select 1 from claim) as claimed,
      ${related(uuidParam('actorId'))} as actor_related,
      exists (
        select 1 from ${partnerships} p
        where p.provider_organization_id = ${uuidParam('providerId')} and p.reseller_organization_id = ${uuidParam('resellerId')} and p.state = 'active'
      ) as partnered,
      ${related(uuidParam('otherId'))} as other_related,
      (select coalesce(json_agg(json_build_object(
          'id', k.id, 'name', k.name, 'currency', k.currency, 'monthlyPrice', k.monthly_price, 'annualPrice', k.annual_price,
          'minQuantity', k.min_quantity, 'maxQuantity', k.max_quantity)), '[]'::json)
        from ${skus} k where k.id = any(${sql.placeholder('skuIds')}::uuid[])) as skus,
      (select coalesce(json_agg(json_build_object('id', o.id, 'name', o.name, 'domain', o.domain, 'country', o.country)), '[]'::json)
        from ${organizations} o where o.id in (${customer}, ${uuidParam('providerId')}, ${uuidParam('resellerId')})) as organizations,
      (select json_build_object('limitAmount', c.limit_amount, 'currency', c.currency, 'used', c.used::text, 'amount', c.amount::text) from credit c) as credit`;
}

const orderFacts = preparedSql<OrderFactsRow>('commerce_order_facts', orderFactsStatement(sql`select 1`));
const orderFactsWithClaim = preparedSql<OrderFactsRow>(
  'commerce_order_facts_claim',
  orderFactsStatement(sql`insert into ${idempotencyKeys} (organization_id, key, request_hash, order_id, created_at)
    values (${uuidParam('claimOrganizationId')}, ${sql.placeholder('claimKey')}, ${sql.placeholder('claimRequestHash')}, ${uuidParam('claimOrderId')},
      ${sql.placeholder('claimCreatedAt')}::timestamptz)
    on conflict do nothing returning key`),
);

/** One subscription an order grows: the sum of its lines of that SKU and cycle. */
export interface GrowthRow {
  /** Used when the subscription is created. */
  id: string;
  skuId: string;
  billingCycle: 'monthly' | 'annual';
  quantity: number;
  /** Lines of the order it takes: each line bumps the version (the ETag) once, as one upsert per line did. */
  lines: number;
}

export interface OrderWrite {
  order: typeof orders.$inferInsert;
  /** In the order of their first line, so rows are locked in line order. */
  growth: GrowthRow[];
  /** In order: they are inserted in this order. */
  lines: Omit<OrderLineRow, 'orderId' | 'subscriptionId'>[];
  now: Date;
}

export interface OrderWritten {
  /** Each grown subscription with its quantity after this order. */
  subscriptions: { id: string; skuId: string; billingCycle: string; quantity: number }[];
}

/**
 * One statement: inserts the order, grows its subscriptions atomically (so concurrent orders of the
 * same SKU neither lose seats nor collide) and inserts the lines pointing at them. The credit line
 * and the idempotency key were written by `loadOrderFacts` (the line's lock is held: orders of one
 * pair take it before any subscription's, so they cannot deadlock). The caller checks seat bounds
 * afterwards and throws to roll everything back.
 */
export async function writeOrder(db: Executor, w: OrderWrite): Promise<OrderWritten> {
  const o = w.order;
  const time = (d: Date | string) => (d instanceof Date ? d.toISOString() : d);
  const values = {
    orderId: o.id,
    customerId: o.organizationId,
    providerId: o.providerOrganizationId,
    resellerId: o.resellerOrganizationId ?? null,
    placedByOrganizationId: o.placedByOrganizationId,
    placedByUserId: o.placedByUserId ?? null,
    placedByApiKeyId: o.placedByApiKeyId ?? null,
    state: o.state,
    currency: o.currency,
    total: o.totalAmount,
    createdAt: time(o.createdAt),
    now: w.now.toISOString(),
    growth: JSON.stringify(w.growth.map((g, n) => ({ n, id: g.id, sku_id: g.skuId, billing_cycle: g.billingCycle, quantity: g.quantity, lines: g.lines }))),
    lines: JSON.stringify(
      w.lines.map((l, n) => ({ n, id: l.id, sku_id: l.skuId, quantity: l.quantity, billing_cycle: l.billingCycle, unit_price: l.unitPrice, amount: l.amount })),
    ),
  };
  const rows = await orderWrite(db).execute(values);
  if (rows.length !== w.growth.length || rows.some((r) => r.lines !== w.lines.length)) throw new Error('order write returned an unexpected shape');
  return { subscriptions: rows.map((r) => ({ id: r.id, skuId: r.sku_id, billingCycle: r.billing_cycle, quantity: r.quantity })) };
}

interface OrderWriteRow extends Record<string, unknown> {
  id: string;
  sku_id: string;
  billing_cycle: string;
  quantity: number;
  lines: number;
}

/** The order's writes: the order, its subscriptions' growth, its lines. */
function orderWriteStatement(): SQL {
  const now = sql`${sql.placeholder('now')}::timestamptz`;
  const orderId = uuidParam('orderId');
  return sql`
    with placed as (
      insert into ${orders} (id, organization_id, provider_organization_id, reseller_organization_id, placed_by_organization_id, placed_by_user_id,
        placed_by_api_key_id, state, currency, total_amount, created_at)
      values (${orderId}, ${uuidParam('customerId')}, ${uuidParam('providerId')}, ${uuidParam('resellerId')}, ${uuidParam('placedByOrganizationId')},
        ${uuidParam('placedByUserId')}, ${uuidParam('placedByApiKeyId')}, ${sql.placeholder('state')}, ${sql.placeholder('currency')}, ${sql.placeholder('total')}::integer,
        ${sql.placeholder('createdAt')}::timestamptz)
    ),
    grown as (
      insert into ${subscriptions} as s (id, organization_id, provider_organization_id, reseller_organization_id, sku_id, billing_cycle, quantity, status, version, created_at, updated_at)
      select g.id, ${uuidParam('customerId')}, ${uuidParam('providerId')}, ${uuidParam('resellerId')},
             g.sku_id, g.billing_cycle, g.quantity, 'active', g.lines, ${now}, ${now}
      from jsonb_to_recordset(${sql.placeholder('growth')}::jsonb) as g(n int, id uuid, sku_id uuid, billing_cycle text, quantity int, lines int)
      order by g.n
      on conflict (organization_id, provider_organization_id, coalesce(reseller_organization_id, '00000000-0000-0000-0000-000000000000'::uuid), sku_id, billing_cycle)
      do update set quantity = s.quantity + excluded.quantity, version = s.version + excluded.version, updated_at = excluded.updated_at
      returning s.id, s.sku_id, s.billing_cycle, s.quantity
    ),
    lined as (
      insert into ${orderLines} (id, order_id, sku_id, quantity, billing_cycle, unit_price, amount, subscription_id)
      select l.id, ${orderId}, l.sku_id, l.quantity, l.billing_cycle, l.unit_price, l.amount, g.id
      from jsonb_to_recordset(${sql.placeholder('lines')}::jsonb) as l(n int, id uuid, sku_id uuid, quantity int, billing_cycle text, unit_price int, amount int)
      join grown g on g.sku_id = l.sku_id and g.billing_cycle = l.billing_cycle
      order by l.n
      returning 1
    )
    select g.id, g.sku_id, g.billing_cycle, g.quantity, (select count(*)::int from lined) as lines
    from grown g`;
}

const orderWrite = preparedSql<OrderWriteRow>('commerce_order_write', orderWriteStatement());

export interface SubscriptionView {
  subscription: SubscriptionRow;
  customer: OrganizationRef;
  provider: OrganizationRef;
  reseller: OrganizationRef | null;
  skuName: string;
  productName: string;
  assigned: number;
}

function selectSubscriptionViews(db: Executor) {
  const assigned = sql<number>`(select count(*)::int from ${licenseAssignments} la where la.subscription_id = ${subscriptions.id})`;
  return db
    .select({
      subscription: subscriptions,
      customer: { id: customerOrg.id, name: customerOrg.name, domain: customerOrg.domain, country: customerOrg.country },
      provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country },
      reseller: { id: resellerOrg.id, name: resellerOrg.name, domain: resellerOrg.domain, country: resellerOrg.country },
      skuName: skus.name,
      productName: products.name,
      assigned,
    })
    .from(subscriptions)
    .innerJoin(customerOrg, eq(customerOrg.id, subscriptions.organizationId))
    .innerJoin(providerOrg, eq(providerOrg.id, subscriptions.providerOrganizationId))
    .leftJoin(resellerOrg, eq(resellerOrg.id, subscriptions.resellerOrganizationId))
    .innerJoin(skus, eq(skus.id, subscriptions.skuId))
    .innerJoin(products, eq(products.id, skus.productId));
}

/** Subscriptions of a customer; with `partnerId`, only those the partner is provider or reseller of record of. */
export async function listSubscriptionViews(
  db: Executor,
  filter: { customerId: string; partnerId?: string | null; id?: string },
): Promise<SubscriptionView[]> {
  return selectSubscriptionViews(db)
    .where(
      and(
        eq(subscriptions.organizationId, filter.customerId),
        filter.id === undefined ? undefined : eq(subscriptions.id, filter.id),
        filter.partnerId === undefined || filter.partnerId === null
          ? undefined
          : or(eq(subscriptions.providerOrganizationId, filter.partnerId), eq(subscriptions.resellerOrganizationId, filter.partnerId)),
      ),
    )
    .orderBy(asc(products.name), asc(skus.name), asc(subscriptions.id))
    .limit(500);
}

/** What the subscription patch read and did, in one statement (`patchSubscription`). */
export interface SubscriptionPatchResult {
  /** The caller has an active relationship with the customer. */
  related: boolean;
  /** The subscription as locked (its latest version), with its SKU's bounds and its seats; null when not visible to the caller. */
  locked: {
    subscription: SubscriptionRow;
    /** Null when the SKU is gone. */
    sku: { name: string; minQuantity: number; maxQuantity: number } | null;
    assigned: number;
  } | null;
  /** The answer's view after the update; null when nothing was written (a check failed). */
  updated: SubscriptionView | null;
}

/**
 * The subscription patch in one statement: checks the caller's active relationship with the
 * customer, locks the subscription if the caller is its provider or reseller of record, reads its
 * SKU's bounds and its seats, and — only when the ETag matches (`ifMatch` null never does), the
 * quantity (if given) is within the SKU's bounds and not below the seats — updates it (absent
 * fields keep the row's) and returns the view. The facts come back either way, for the use case to
 * say which check failed. The seats are counted by `commerce_seats_assigned` (migration 0020) on a
 * snapshot taken after the lock: the statement's own snapshot predates a lock it waited for. An
 * update writes its audit record `subscription.updated` (quantity and status before and after) and
 * its event, stamped `stamp` (one record); the subscription's `updated_at` is the stamp's moment.
 */
export async function patchSubscription(
  db: Executor,
  stamp: AuditStamp,
  q: {
    partnerId: string;
    customerId: string;
    id: string;
    ifMatch: string | null;
    quantity: number | null;
    status: 'active' | 'suspended' | null;
  },
): Promise<SubscriptionPatchResult> {
  const [row] = await subscriptionPatch(db).execute({ ...q, ...stampValues(stamp) });
  if (row === undefined) throw new Error('the subscription patch returned nothing');
  const locked = row.locked === null ? null : { ...row.locked, subscription: subscriptionOf(row.locked.subscription) };
  const updated =
    row.updated === null
      ? null
      : { ...row.updated, subscription: subscriptionOf(row.updated.subscription), reseller: row.updated.reseller ?? null };
  return { related: row.related, locked, updated };
}

/** A subscription as the statement's JSON carries it (timestamps as text). */
type SubscriptionJson = Omit<SubscriptionRow, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

function subscriptionOf(json: SubscriptionJson): SubscriptionRow {
  return { ...json, createdAt: new Date(json.createdAt), updatedAt: new Date(json.updatedAt) };
}

interface SubscriptionPatchRow extends Record<string, unknown> {
  related: boolean;
  locked: { subscription: SubscriptionJson; sku: { name: string; minQuantity: number; maxQuantity: number } | null; assigned: number } | null;
  updated: (Omit<SubscriptionView, 'subscription'> & { subscription: SubscriptionJson }) | null;
}

const subscriptionJson = (s: string) => sql.raw(`json_build_object('id', ${s}.id, 'organizationId', ${s}.organization_id,
      'providerOrganizationId', ${s}.provider_organization_id, 'resellerOrganizationId', ${s}.reseller_organization_id, 'skuId', ${s}.sku_id,
      'billingCycle', ${s}.billing_cycle, 'quantity', ${s}.quantity, 'status', ${s}.status, 'version', ${s}.version,
      'createdAt', ${s}.created_at, 'updatedAt', ${s}.updated_at)`);
const organizationJson = (o: string) => sql.raw(`json_build_object('id', ${o}.id, 'name', ${o}.name, 'domain', ${o}.domain, 'country', ${o}.country)`);

const subscriptionPatch = preparedSql<SubscriptionPatchRow>(
  'commerce_subscription_patch',
  sql`with related as (
      select ${activeRelationshipExists(uuidParam('partnerId'), uuidParam('customerId'))} as ok
    ),
    locked as materialized (
      select s.* from ${subscriptions} s
      where s.id = ${uuidParam('id')} and s.organization_id = ${uuidParam('customerId')}
        and (s.provider_organization_id = ${uuidParam('partnerId')} or s.reseller_organization_id = ${uuidParam('partnerId')})
        and (select ok from related)
      for update
    ),
    facts as materialized (
      -- Called on the locked row, so after the lock is granted: see commerce_seats_assigned.
      select l.*, commerce_seats_assigned(l.id) as assigned, k.name as sku_name, k.min_quantity, k.max_quantity, k.product_id
      from locked l left join ${skus} k on k.id = l.sku_id
    ),
    updated as (
      update ${subscriptions} s set
        quantity = coalesce(${sql.placeholder('quantity')}::integer, s.quantity),
        status = coalesce(${sql.placeholder('status')}::text, s.status),
        updated_at = ${sql.placeholder('audit_occurredAt')}::timestamptz,
        version = s.version + 1
      from facts f
      where s.id = f.id and s.version = f.version
        and '"' || f.version || '"' = ${sql.placeholder('ifMatch')}::text
        and (${sql.placeholder('quantity')}::integer is null
          or (${sql.placeholder('quantity')}::integer between f.min_quantity and f.max_quantity and ${sql.placeholder('quantity')}::integer >= f.assigned))
      returning s.*
    ),
    change as (
      select 1 as n, 'subscription.updated' as action, 'subscription' as target_type, u.id as target_id,
        array_remove(array[u.organization_id, u.provider_organization_id, u.reseller_organization_id], null) as organization_ids,
        null::text as on_behalf_of_type, null::uuid as on_behalf_of_id,
        jsonb_build_object('quantity', f.quantity, 'status', f.status) as before, jsonb_build_object('quantity', u.quantity, 'status', u.status) as after
      from updated u join facts f on f.id = u.id
    ),
    ${auditedChange('change')}
    select r.ok as related,
      case when f.id is null then null else json_build_object('subscription', ${subscriptionJson('f')}, 'assigned', f.assigned,
        'sku', case when f.sku_name is null then null
          else json_build_object('name', f.sku_name, 'minQuantity', f.min_quantity, 'maxQuantity', f.max_quantity) end) end as locked,
      case when u.id is null then null else json_build_object('subscription', ${subscriptionJson('u')},
        'customer', ${organizationJson('c')}, 'provider', ${organizationJson('pr')},
        'reseller', case when rs.id is null then null else ${organizationJson('rs')} end,
        'skuName', f.sku_name, 'productName', p.name, 'assigned', f.assigned) end as updated
    from related r
    left join facts f on true
    left join updated u on u.id = f.id
    left join ${organizations} c on c.id = u.organization_id
    left join ${organizations} pr on pr.id = u.provider_organization_id
    left join ${organizations} rs on rs.id = u.reseller_organization_id
    left join ${products} p on p.id = f.product_id`,
);

// ---- credit

export async function findCredit(db: Executor, providerId: string, resellerId: string): Promise<CreditRow | undefined> {
  const [row] = await db
    .select()
    .from(creditTerms)
    .where(and(eq(creditTerms.providerOrganizationId, providerId), eq(creditTerms.resellerOrganizationId, resellerId)))
    .limit(1);
  return row;
}

/**
 * Creates or changes a credit line. A new line starts its running exposure at the sum of the pair's
 * orders in the period starting at `period` (orders a provider placed naming the reseller count
 * before any line exists); a changed one keeps its counter.
 */
export async function upsertCredit(db: Executor, row: Omit<typeof creditTerms.$inferInsert, 'exposurePeriod' | 'exposureAmount'>, period: Date): Promise<CreditRow> {
  const [saved] = await db
    .insert(creditTerms)
    .values({
      ...row,
      exposurePeriod: period,
      exposureAmount: pairExposure(sql`${row.providerOrganizationId}::uuid`, sql`${row.resellerOrganizationId}::uuid`, period),
    })
    .onConflictDoUpdate({
      target: [creditTerms.providerOrganizationId, creditTerms.resellerOrganizationId],
      set: { limitAmount: row.limitAmount, currency: row.currency, updatedAt: row.updatedAt },
    })
    .returning();
  if (saved === undefined) throw new Error('upsert returned nothing');
  return saved;
}

export async function lockProduct(db: Executor, id: string): Promise<ProductRow | undefined> {
  const [row] = await db.select().from(products).where(eq(products.id, id)).for('update');
  return row;
}

export async function productInUse(db: Executor, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: orderLines.id })
    .from(orderLines)
    .innerJoin(skus, eq(skus.id, orderLines.skuId))
    .where(eq(skus.productId, id))
    .limit(1);
  return row !== undefined;
}

export async function deleteProductRows(db: Executor, id: string): Promise<void> {
  await db.delete(skus).where(eq(skus.productId, id));
  await db.delete(products).where(eq(products.id, id));
}

// ---- partner-wide lists: everything the partner is provider or reseller of record of, across the
// customers it has an active relationship with (the same rule as the per-customer lists)

/** A list's filters: customer name prefix (as the customer list matches it), customer, status or state. */
export interface PartnerListFilter {
  customerName?: string | undefined;
  customerId?: string | undefined;
}

export interface PartnerListQuery<Sort extends string> {
  sort: Sort;
  order: 'asc' | 'desc';
  after: { values: (string | number)[]; id: string } | null;
  limit: number;
}

/**
 * The relationship row joined on the caller and the row's customer: it proves the active
 * relationship and carries the customer's sort name (lower(name)), so the name sort and prefix
 * search use the relationships' keyset index.
 */
const relationshipOf = (partnerId: string, customerColumn: typeof subscriptions.organizationId | typeof orders.organizationId) =>
  and(
    eq(resellerRelationships.partnerOrganizationId, partnerId),
    eq(resellerRelationships.customerOrganizationId, customerColumn),
    eq(resellerRelationships.state, 'active'),
  );

function customerFilter(filter: PartnerListFilter, customerColumn: typeof subscriptions.organizationId | typeof orders.organizationId): SQL | undefined {
  return and(
    filter.customerName === undefined || filter.customerName === '' ? undefined : like(resellerRelationships.customerSortName, likePrefix(filter.customerName)),
    filter.customerId === undefined ? undefined : eq(customerColumn, filter.customerId),
  );
}

export const subscriptionSortKeys: Record<SubscriptionSort, SortKey> = {
  customer: { columns: [{ sql: resellerRelationships.customerSortName, type: 'text' }, { sql: subscriptions.organizationId, type: 'uuid' }] },
  product: { columns: [{ sql: products.name, type: 'text' }, { sql: skus.name, type: 'text' }] },
  quantity: { columns: [{ sql: subscriptions.quantity, type: 'int' }] },
  status: { columns: [{ sql: subscriptions.status, type: 'text' }] },
  createdAt: { columns: [{ sql: subscriptions.createdAt, type: 'timestamptz' }] },
};

export interface PartnerSubscriptionView extends SubscriptionView {
  customerSortName: string;
}

/** The key values of a row under a sort, as its cursor carries them. */
export function subscriptionSortValues(view: PartnerSubscriptionView, sort: SubscriptionSort): (string | number)[] {
  const s = view.subscription;
  switch (sort) {
    case 'customer':
      return [view.customerSortName, s.organizationId];
    case 'product':
      return [view.productName, view.skuName];
    case 'quantity':
      return [s.quantity];
    case 'status':
      return [s.status];
    case 'createdAt':
      return [s.createdAt.toISOString()];
  }
}

function subscriptionScope(partnerId: string, filter: PartnerListFilter & { status?: SubscriptionStatus | undefined }): SQL | undefined {
  return and(
    or(eq(subscriptions.providerOrganizationId, partnerId), eq(subscriptions.resellerOrganizationId, partnerId)),
    customerFilter(filter, subscriptions.organizationId),
    filter.status === undefined ? undefined : eq(subscriptions.status, filter.status),
  );
}

/**
 * One page (`limit` + 1 rows) of the partner's subscriptions in the order asked, in two
 * statements: the page's ids from narrow rows (the sort of a large book handles ids and keys
 * only: ≈ 50 ms for 110 000 rows where the full rows took ≈ 0.5 s), then the views of those ids.
 */
export async function listPartnerSubscriptionViews(
  db: Executor,
  partnerId: string,
  filter: PartnerListFilter & { status?: SubscriptionStatus | undefined },
  query: PartnerListQuery<SubscriptionSort>,
): Promise<PartnerSubscriptionView[]> {
  const key = subscriptionSortKeys[query.sort];
  const page = await db
    .select({ id: subscriptions.id, customerSortName: resellerRelationships.customerSortName })
    .from(subscriptions)
    .innerJoin(resellerRelationships, relationshipOf(partnerId, subscriptions.organizationId))
    .innerJoin(skus, eq(skus.id, subscriptions.skuId))
    .innerJoin(products, eq(products.id, skus.productId))
    .where(and(subscriptionScope(partnerId, filter), keysetAfterSorted(key, subscriptions.id, query.order, query.after)))
    .orderBy(...orderBySorted(key, subscriptions.id, query.order))
    .limit(query.limit + 1);
  if (page.length === 0) return [];
  const views = new Map((await selectSubscriptionViews(db).where(inArray(subscriptions.id, page.map((r) => r.id)))).map((v) => [v.subscription.id, v]));
  return page.flatMap((r) => {
    const view = views.get(r.id);
    return view === undefined ? [] : [{ ...view, customerSortName: r.customerSortName }];
  });
}

/** How many subscriptions the filter matches, up to the count cap. */
export async function countPartnerSubscriptions(db: Executor, partnerId: string, filter: PartnerListFilter & { status?: SubscriptionStatus | undefined }): Promise<ListCount> {
  return countUpTo(
    db,
    db
      .select({ one: sql`1` })
      .from(subscriptions)
      .innerJoin(resellerRelationships, relationshipOf(partnerId, subscriptions.organizationId))
      .where(subscriptionScope(partnerId, filter))
      .limit(countCap + 1),
  );
}

export const orderSortKeys: Record<OrderSort, SortKey> = {
  createdAt: { columns: [{ sql: orders.createdAt, type: 'timestamptz' }] },
  customer: { columns: [{ sql: resellerRelationships.customerSortName, type: 'text' }, { sql: orders.organizationId, type: 'uuid' }] },
  // Amounts of different currencies do not compare: the currency sorts first.
  total: { columns: [{ sql: orders.currency, type: 'text' }, { sql: orders.totalAmount, type: 'int' }] },
  state: { columns: [{ sql: orders.state, type: 'text' }] },
};

export interface PartnerOrderView extends OrderView {
  customerSortName: string;
}

export function orderSortValues(view: PartnerOrderView, sort: OrderSort): (string | number)[] {
  const o = view.order;
  switch (sort) {
    case 'createdAt':
      return [o.createdAt.toISOString()];
    case 'customer':
      return [view.customerSortName, o.organizationId];
    case 'total':
      return [o.currency, o.totalAmount];
    case 'state':
      return [o.state];
  }
}

function orderScope(partnerId: string, filter: PartnerListFilter & { state?: OrderState | undefined }): SQL | undefined {
  return and(
    or(eq(orders.providerOrganizationId, partnerId), eq(orders.resellerOrganizationId, partnerId)),
    customerFilter(filter, orders.organizationId),
    filter.state === undefined ? undefined : eq(orders.state, filter.state),
  );
}

/** One page (`limit` + 1 rows) of the partner's orders in the order asked, with their lines: ids first, as for subscriptions. */
export async function listPartnerOrderViews(
  db: Executor,
  partnerId: string,
  filter: PartnerListFilter & { state?: OrderState | undefined },
  query: PartnerListQuery<OrderSort>,
): Promise<PartnerOrderView[]> {
  const key = orderSortKeys[query.sort];
  const page = await db
    .select({ id: orders.id, customerSortName: resellerRelationships.customerSortName })
    .from(orders)
    .innerJoin(resellerRelationships, relationshipOf(partnerId, orders.organizationId))
    .where(and(orderScope(partnerId, filter), keysetAfterSorted(key, orders.id, query.order, query.after)))
    .orderBy(...orderBySorted(key, orders.id, query.order))
    .limit(query.limit + 1);
  if (page.length === 0) return [];
  const views = new Map((await withLines(db, await selectOrders(db).where(inArray(orders.id, page.map((r) => r.id))))).map((v) => [v.order.id, v]));
  return page.flatMap((r) => {
    const view = views.get(r.id);
    return view === undefined ? [] : [{ ...view, customerSortName: r.customerSortName }];
  });
}

export async function countPartnerOrders(db: Executor, partnerId: string, filter: PartnerListFilter & { state?: OrderState | undefined }): Promise<ListCount> {
  return countUpTo(
    db,
    db
      .select({ one: sql`1` })
      .from(orders)
      .innerJoin(resellerRelationships, relationshipOf(partnerId, orders.organizationId))
      .where(orderScope(partnerId, filter))
      .limit(countCap + 1),
  );
}

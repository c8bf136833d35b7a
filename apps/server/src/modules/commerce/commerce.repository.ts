import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
import {
  creditTerms,
  idempotencyKeys,
  licenseAssignments,
  orderLines,
  orders,
  organizations,
  products,
  skus,
  subscriptions,
} from '../../db/schema.ts';
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

export async function findSkus(db: Executor, ids: string[]): Promise<SkuRow[]> {
  return ids.length === 0 ? [] : db.select().from(skus).where(inArray(skus.id, ids));
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

/** Claims the key for this request; nothing when another request holds or held it. */
export async function claimIdempotencyKey(db: Executor, row: typeof idempotencyKeys.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(idempotencyKeys).values(row).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  return inserted.length === 1;
}

export async function lockIdempotencyKey(db: Executor, organizationId: string, key: string): Promise<IdempotencyRow | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)))
    .for('update');
  return row;
}

export async function resetIdempotencyKey(db: Executor, organizationId: string, key: string, requestHash: string, now: Date): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ requestHash, orderId: null, createdAt: now })
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)));
}

export async function recordIdempotentOrder(db: Executor, organizationId: string, key: string, orderId: string): Promise<void> {
  await db.update(idempotencyKeys).set({ orderId }).where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)));
}

// ---- orders

export async function insertOrder(db: Executor, row: typeof orders.$inferInsert): Promise<OrderRow> {
  const [created] = await db.insert(orders).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function insertOrderLines(db: Executor, rows: (typeof orderLines.$inferInsert)[]): Promise<void> {
  await db.insert(orderLines).values(rows);
}

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

/** Completed order amounts billed to the reseller through the provider since `since`. */
export async function exposure(db: Executor, providerId: string, resellerId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${orders.totalAmount}), 0)::bigint` })
    .from(orders)
    .where(
      and(
        eq(orders.providerOrganizationId, providerId),
        eq(orders.resellerOrganizationId, resellerId),
        eq(orders.state, 'completed'),
        sql`${orders.createdAt} >= ${since.toISOString()}::timestamptz`,
      ),
    );
  return Number(row?.total ?? 0);
}

// ---- subscriptions

/**
 * Adds seats to the customer's subscription for this line (creating it when absent) in one atomic
 * statement, so concurrent orders of the same SKU neither lose seats nor collide.
 */
export async function growSubscription(
  db: Executor,
  row: { id: string; organizationId: string; providerId: string; resellerId: string | null; skuId: string; billingCycle: string; quantity: number; now: Date },
): Promise<SubscriptionRow> {
  const result = (await db.execute(sql`
    insert into ${subscriptions} as s (id, organization_id, provider_organization_id, reseller_organization_id, sku_id, billing_cycle, quantity, status, version, created_at, updated_at)
    values (${row.id}, ${row.organizationId}, ${row.providerId}, ${row.resellerId}, ${row.skuId}, ${row.billingCycle}, ${row.quantity}, 'active', 1, ${row.now.toISOString()}, ${row.now.toISOString()})
    on conflict (organization_id, provider_organization_id, coalesce(reseller_organization_id, '00000000-0000-0000-0000-000000000000'::uuid), sku_id, billing_cycle)
    do update set quantity = s.quantity + excluded.quantity, version = s.version + 1, updated_at = excluded.updated_at
    returning id`)) as unknown as { rows: { id: string }[] };
  const id = result.rows[0]?.id;
  const [subscription] = id === undefined ? [] : await db.select().from(subscriptions).where(eq(subscriptions.id, id));
  if (subscription === undefined) throw new Error('subscription upsert returned nothing');
  return subscription;
}

export interface SubscriptionView {
  subscription: SubscriptionRow;
  customer: OrganizationRef;
  provider: OrganizationRef;
  reseller: OrganizationRef | null;
  skuName: string;
  productName: string;
  assigned: number;
}

/** Subscriptions of a customer; with `partnerId`, only those the partner is provider or reseller of record of. */
export async function listSubscriptionViews(
  db: Executor,
  filter: { customerId: string; partnerId?: string | null; id?: string },
): Promise<SubscriptionView[]> {
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
    .innerJoin(products, eq(products.id, skus.productId))
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

export async function lockSubscription(db: Executor, customerId: string, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.organizationId, customerId)))
    .for('update');
  return row;
}

/** Writes a change only if nobody changed the row since `version` was read. */
export async function updateSubscriptionIfVersion(
  db: Executor,
  id: string,
  version: number,
  changes: { quantity?: number; status?: 'active' | 'suspended'; updatedAt: Date },
): Promise<SubscriptionRow | undefined> {
  const [row] = await db
    .update(subscriptions)
    .set({ ...changes, version: sql`${subscriptions.version} + 1` })
    .where(and(eq(subscriptions.id, id), eq(subscriptions.version, version)))
    .returning();
  return row;
}

export async function countAssignments(db: Executor, subscriptionId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(licenseAssignments).where(eq(licenseAssignments.subscriptionId, subscriptionId));
  return row?.n ?? 0;
}

// ---- credit

export async function findCredit(db: Executor, providerId: string, resellerId: string): Promise<CreditRow | undefined> {
  const [row] = await db
    .select()
    .from(creditTerms)
    .where(and(eq(creditTerms.providerOrganizationId, providerId), eq(creditTerms.resellerOrganizationId, resellerId)))
    .limit(1);
  return row;
}

/** Serializes orders that draw on the same credit line (row lock on the terms). */
export async function lockCredit(db: Executor, providerId: string, resellerId: string): Promise<CreditRow | undefined> {
  const [row] = await db
    .select()
    .from(creditTerms)
    .where(and(eq(creditTerms.providerOrganizationId, providerId), eq(creditTerms.resellerOrganizationId, resellerId)))
    .for('update');
  return row;
}

export async function upsertCredit(db: Executor, row: typeof creditTerms.$inferInsert): Promise<CreditRow> {
  const [saved] = await db
    .insert(creditTerms)
    .values(row)
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

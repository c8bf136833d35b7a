import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { skus, subscriptions } from '../../db/schema.ts';
import type { SubscriptionRow } from './commerce.repository.ts';

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

import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { licenseAssignments, skus, subscriptions, users } from '../../db/schema.ts';

export type AssignmentRow = typeof licenseAssignments.$inferSelect;

export async function findOrganizationUser(db: Executor, organizationId: string, userId: string) {
  const [row] = await db.select().from(users).where(and(eq(users.id, userId), eq(users.organizationId, organizationId))).limit(1);
  return row;
}

export async function licensesOf(db: Executor, userIds: string[]): Promise<{ userId: string; subscriptionId: string; skuName: string }[]> {
  if (userIds.length === 0) return [];
  return db
    .select({ userId: licenseAssignments.userId, subscriptionId: licenseAssignments.subscriptionId, skuName: skus.name })
    .from(licenseAssignments)
    .innerJoin(subscriptions, eq(subscriptions.id, licenseAssignments.subscriptionId))
    .innerJoin(skus, eq(skus.id, subscriptions.skuId))
    .where(inArray(licenseAssignments.userId, userIds))
    .orderBy(skus.name);
}

/** Nothing when the user already holds a seat of this subscription. */
export async function insertAssignment(db: Executor, row: typeof licenseAssignments.$inferInsert): Promise<AssignmentRow | undefined> {
  const [created] = await db.insert(licenseAssignments).values(row).onConflictDoNothing().returning();
  return created;
}

export async function deleteAssignment(db: Executor, subscriptionId: string, userId: string): Promise<AssignmentRow | undefined> {
  const [deleted] = await db
    .delete(licenseAssignments)
    .where(and(eq(licenseAssignments.subscriptionId, subscriptionId), eq(licenseAssignments.userId, userId)))
    .returning();
  return deleted;
}

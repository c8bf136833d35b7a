import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { licenseAssignments } from '../../db/schema.ts';

export type AssignmentRow = typeof licenseAssignments.$inferSelect;

/** The seats each of these users holds. */
export async function assignmentsOf(db: Executor, userIds: string[]): Promise<AssignmentRow[]> {
  if (userIds.length === 0) return [];
  return db.select().from(licenseAssignments).where(inArray(licenseAssignments.userId, userIds));
}

/** Seats of a subscription already assigned (counted under the subscription's lock). */
export async function countAssignments(db: Executor, subscriptionId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(licenseAssignments).where(eq(licenseAssignments.subscriptionId, subscriptionId));
  return row?.n ?? 0;
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

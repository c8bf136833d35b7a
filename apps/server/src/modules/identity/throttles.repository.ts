import { and, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { signInThrottles } from '../../db/schema.ts';

// The throttles' counts. They run on the database directly, never in a use case's transaction, so
// that a count survives the attempt's rollback and every process on one database shares it.

export interface WindowCount {
  failures: number;
  windowStartedAt: Date;
}

/**
 * Counts one in the key's fixed window (an atomic upsert; a window that opened at or before
 * `windowOpen` starts afresh). With a `limit`, a full window is left as it is and nothing returns.
 */
export async function countInWindow(db: Database, key: string, windowOpen: Date, now: Date, limit: number | null): Promise<WindowCount | undefined> {
  const expired = sql`${signInThrottles.windowStartedAt} <= ${windowOpen}`;
  const [row] = await db
    .insert(signInThrottles)
    .values({ key, failures: 1, windowStartedAt: now, blockedUntil: null })
    .onConflictDoUpdate({
      target: signInThrottles.key,
      set: {
        failures: sql`case when ${expired} then 1 else ${signInThrottles.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then ${now} else ${signInThrottles.windowStartedAt} end`,
      },
      ...(limit === null ? {} : { setWhere: sql`${expired} or ${signInThrottles.failures} < ${limit}` }),
    })
    .returning({ failures: signInThrottles.failures, windowStartedAt: signInThrottles.windowStartedAt });
  return row;
}

/** The key's count in a window that opened after `windowOpen`, if any. */
export async function readWindow(db: Database, key: string, windowOpen: Date): Promise<WindowCount | undefined> {
  const [row] = await db
    .select({ failures: signInThrottles.failures, windowStartedAt: signInThrottles.windowStartedAt })
    .from(signInThrottles)
    .where(and(eq(signInThrottles.key, key), gt(signInThrottles.windowStartedAt, windowOpen)));
  return row;
}

export async function windowStart(db: Database, key: string): Promise<Date | undefined> {
  const [row] = await db.select({ windowStartedAt: signInThrottles.windowStartedAt }).from(signInThrottles).where(eq(signInThrottles.key, key));
  return row?.windowStartedAt;
}

/** Takes one back from the count, only in the window it was counted in. */
export async function uncount(db: Database, key: string, windowStartedAt: Date): Promise<void> {
  await db
    .update(signInThrottles)
    .set({ failures: sql`${signInThrottles.failures} - 1` })
    .where(and(eq(signInThrottles.key, key), eq(signInThrottles.windowStartedAt, windowStartedAt), gt(signInThrottles.failures, 0)));
}

/** The latest time until which any of the keys is blocked, or null. */
export async function blockedUntil(db: Database, keys: readonly string[], now: Date): Promise<Date | null> {
  const [row] = await db
    .select({ until: sql<Date | null>`max(${signInThrottles.blockedUntil})`.mapWith(signInThrottles.blockedUntil) })
    .from(signInThrottles)
    .where(and(inArray(signInThrottles.key, [...keys]), gt(signInThrottles.blockedUntil, now)));
  return row?.until ?? null;
}

export async function block(db: Database, key: string, until: Date): Promise<void> {
  await db.update(signInThrottles).set({ blockedUntil: until }).where(eq(signInThrottles.key, key));
}

export async function deleteCount(db: Database, key: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, key));
}

/** Deletes counts whose window opened at or before `windowOpen` and that block nothing; returns how many. */
export async function deleteStaleCounts(db: Database, windowOpen: Date, now: Date): Promise<number> {
  const deleted = await db
    .delete(signInThrottles)
    .where(and(lte(signInThrottles.windowStartedAt, windowOpen), or(isNull(signInThrottles.blockedUntil), lt(signInThrottles.blockedUntil, now))))
    .returning({ key: signInThrottles.key });
  return deleted.length;
}

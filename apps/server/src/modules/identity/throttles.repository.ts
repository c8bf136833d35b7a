import { and, desc, eq, gt, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { preparedQuery, type Database, type Executor } from '../../db/database.ts';
import { guessFailures, signInThrottles } from '../../db/schema.ts';

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

/** The latest time until which any of the keys is blocked, or null. */
export async function blockedUntil(db: Database, keys: readonly string[], now: Date): Promise<Date | null> {
  const [row] = await blockedUntilOf(db).execute({ keys: [...keys], now });
  return row?.until ?? null;
}

// Every sign-in's reads and its success's clearing are named statements, planned once per
// connection: the keys are one text array, never an IN list.
const blockedUntilOf = preparedQuery('identity_throttle_blocked_until', (db) =>
  db
    .select({ until: sql<Date | null>`max(${signInThrottles.blockedUntil})`.mapWith(signInThrottles.blockedUntil) })
    .from(signInThrottles)
    .where(and(sql`${signInThrottles.key} = any(${sql.placeholder('keys')}::text[])`, gt(signInThrottles.blockedUntil, sql.placeholder('now')))),
);

export async function block(db: Database, key: string, until: Date): Promise<void> {
  await db.update(signInThrottles).set({ blockedUntil: until }).where(eq(signInThrottles.key, key));
}

export async function deleteCount(db: Database, key: string): Promise<void> {
  await countDelete(db).execute({ key });
}

const countDelete = preparedQuery('identity_throttle_delete', (db) => db.delete(signInThrottles).where(eq(signInThrottles.key, sql.placeholder('key'))));

/** Deletes counts whose window opened at or before `windowOpen` and that block nothing; returns how many. */
export async function deleteStaleCounts(db: Database, windowOpen: Date, now: Date): Promise<number> {
  const deleted = await db
    .delete(signInThrottles)
    .where(and(lte(signInThrottles.windowStartedAt, windowOpen), or(isNull(signInThrottles.blockedUntil), lt(signInThrottles.blockedUntil, now))))
    .returning({ key: signInThrottles.key });
  return deleted.length;
}

// ---- wrong guesses (RATE-03): one row per failure, so a success writes nothing and no row is hot

/** A window of wrong guesses with the ids of its rows (at most the limit's number). */
export interface GuessWindow extends WindowCount {
  ids: string[];
}

/** The key's wrong guesses in its current window (one that opened after `windowOpen`), if any. */
export async function readGuessWindow(db: Executor, key: string, windowOpen: Date): Promise<GuessWindow | undefined> {
  const [row] = await guessWindow(db).execute({ key, windowOpen });
  return row;
}

/** Named: every acceptance and MFA sign-in reads it, on the success path too. */
const guessWindow = preparedQuery('identity_guess_window', (db) =>
  db
    .select({ failures: sql<number>`count(*)::int`, windowStartedAt: guessFailures.windowStartedAt, ids: sql<string[]>`array_agg(${guessFailures.id}::text)` })
    .from(guessFailures)
    .where(and(eq(guessFailures.key, sql.placeholder('key')), gt(guessFailures.windowStartedAt, sql.placeholder('windowOpen'))))
    .groupBy(guessFailures.windowStartedAt)
    .orderBy(desc(guessFailures.windowStartedAt))
    .limit(1),
);

/**
 * Counts one wrong guess of the key: in its current window, or in a new one opening now. Failures
 * of one key are counted one after another (a transaction-scoped advisory lock on the key, taken
 * only on this failure path), so the n-th failure of a window knows it is the n-th across every
 * process on the database. With a `limit`, a full window is left as it is: `counted` is false.
 * `id` is the row's id, chosen by the caller so that it can recognise its own row in a later read.
 */
export async function countGuessFailure(
  db: Database,
  key: string,
  windowOpen: Date,
  now: Date,
  limit: number,
  id: string,
): Promise<WindowCount & { counted: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`guess:${key}`}, 0))`);
    const current = await readGuessWindow(tx, key, windowOpen);
    if (current !== undefined && current.failures >= limit) return { failures: current.failures, windowStartedAt: current.windowStartedAt, counted: false };
    const windowStartedAt = current?.windowStartedAt ?? now;
    await tx.insert(guessFailures).values({ key, windowStartedAt, id, failedAt: now });
    return { failures: (current?.failures ?? 0) + 1, windowStartedAt, counted: true };
  });
}

/** Deletes wrong guesses whose window opened at or before `windowOpen`; returns how many. */
export async function deleteStaleGuesses(db: Database, windowOpen: Date): Promise<number> {
  const deleted = await db.delete(guessFailures).where(lte(guessFailures.windowStartedAt, windowOpen)).returning({ key: guessFailures.key });
  return deleted.length;
}

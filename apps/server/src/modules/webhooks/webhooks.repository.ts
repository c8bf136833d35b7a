import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { preparedQuery, type Database, type Executor } from '../../db/database.ts';
import { webhookAttempts, webhookEndpoints, webhookMessages } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { earlierEventPending } from '../../platform/outbox-relay.ts';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type MessageRow = typeof webhookMessages.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export async function insertEndpoint(db: Executor, row: typeof webhookEndpoints.$inferInsert): Promise<EndpointRow> {
  const [created] = await db.insert(webhookEndpoints).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function listEndpointRows(db: Executor, organizationId: string): Promise<EndpointRow[]> {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.organizationId, organizationId)).orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
}

/** The organization's endpoint; another organization's answers as none. With `lock`, locked for the transaction. */
export async function findEndpoint(db: Executor, organizationId: string, id: string, options: { lock?: boolean } = {}): Promise<EndpointRow | undefined> {
  const query = db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.organizationId, organizationId)));
  const [row] = options.lock === true ? await query.for('update') : await query;
  return row;
}

export async function updateEndpointRow(db: Executor, id: string, changes: Partial<typeof webhookEndpoints.$inferInsert>): Promise<EndpointRow> {
  const [row] = await db.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, id)).returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

export async function deleteEndpointRow(db: Executor, id: string): Promise<void> {
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
}

/** Enabled endpoints of these organizations. */
export async function enabledEndpointsOf(db: Executor, organizationIds: readonly string[]): Promise<EndpointRow[]> {
  if (organizationIds.length === 0) return [];
  return enabledEndpoints(db).execute({ organizationIds: [...organizationIds] });
}

/**
 * The relay asks this for every event it fans out, and most organizations have no endpoint: one
 * named statement for any number of organizations (an array, never a list of varying length) that
 * answers from the organizations' index alone when there is none.
 */
const enabledEndpoints = preparedQuery('webhooks_enabled_endpoints', (db) =>
  db
    .select()
    .from(webhookEndpoints)
    .where(and(sql`${webhookEndpoints.organizationId} = any(${sql.placeholder('organizationIds')}::uuid[])`, eq(webhookEndpoints.enabled, true))),
);

export async function endpointsByIds(db: Executor, ids: readonly string[]): Promise<EndpointRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(webhookEndpoints).where(inArray(webhookEndpoints.id, [...ids]));
}

/** A second copy of one event for one endpoint is not written (the fan-out is idempotent per event). */
export async function insertMessages(db: Executor, rows: (typeof webhookMessages.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(webhookMessages).values(rows).onConflictDoNothing();
}

/**
 * Claims due messages for delivery under a lease: pending, due, not leased by another process
 * (SKIP LOCKED, so two nodes never take the same attempt), and with no earlier pending message of
 * the same resource for the same endpoint (that one holds the later ones back, nothing else).
 * Nor while an earlier event of the same resource still waits in the outbox (another node's relay,
 * or a later item of the same batch, handles events out of order): its message must exist before a
 * later one may go.
 */
export async function claimDueMessages(db: Database, now: Date, batch: number, leaseMs: number): Promise<MessageRow[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  const result = (await db.execute(sql`
    with due as (
      select m.id from ${webhookMessages} m
       where m.state = 'pending' and m.next_attempt_at <= ${now.toISOString()}::timestamptz
         and (m.locked_until is null or m.locked_until <= ${now.toISOString()}::timestamptz)
         and not ${earlierEventPending(sql`m.resource_key`, sql`m.position`)}
         and not exists (
           select 1 from ${webhookMessages} p
            where p.endpoint_id = m.endpoint_id and p.resource_key = m.resource_key and p.state = 'pending'
              and p.position < m.position)
       order by m.next_attempt_at
       limit ${batch}
       for update skip locked)
    update ${webhookMessages} w set locked_until = ${leaseEnd.toISOString()}::timestamptz, attempts = w.attempts + 1
      from due where w.id = due.id
    returning w.id`)) as unknown as { rows: { id: string }[] };
  const ids = result.rows.map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(webhookMessages).where(inArray(webhookMessages.id, ids)).orderBy(asc(webhookMessages.position), asc(webhookMessages.id));
}

export async function insertAttempt(db: Executor, row: typeof webhookAttempts.$inferInsert): Promise<void> {
  await db.insert(webhookAttempts).values(row);
}

export async function finishMessage(
  db: Executor,
  id: string,
  changes: { state: 'pending' | 'succeeded' | 'failed'; nextAttemptAt: Date | null; deliveredAt?: Date },
): Promise<void> {
  await db
    .update(webhookMessages)
    .set({ ...changes, lockedUntil: null })
    .where(eq(webhookMessages.id, id));
}

/** The first failure since the endpoint's last success starts the failing clock; a success stops it. */
export async function markEndpointFailing(db: Executor, id: string, at: Date): Promise<EndpointRow | undefined> {
  await db.update(webhookEndpoints).set({ failingSince: at }).where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.failingSince)));
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row;
}

export async function markEndpointHealthy(db: Executor, id: string): Promise<void> {
  await db.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, id));
}

/** Switches the endpoint off (once); true when this call did it. */
export async function disableEndpoint(db: Executor, id: string, reason: 'gone' | 'failing', at: Date): Promise<boolean> {
  const rows = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: at })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.enabled, true)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** An endpoint's messages, newest first (keyset on created time and id). */
export async function listMessageRows(
  db: Executor,
  endpointId: string,
  query: { limit: number; after: [string, string] | null; state?: MessageRow['state'] },
): Promise<MessageRow[]> {
  return db
    .select()
    .from(webhookMessages)
    .where(
      and(
        eq(webhookMessages.endpointId, endpointId),
        query.state === undefined ? undefined : eq(webhookMessages.state, query.state),
        query.after === null ? undefined : sql`(${webhookMessages.createdAt}, ${webhookMessages.id}) < (${cursorTime(query.after[0])}::timestamptz, ${cursorMessageId(query.after[1])})`,
      ),
    )
    .orderBy(desc(webhookMessages.createdAt), desc(webhookMessages.id))
    .limit(query.limit + 1);
}

/** When the message was first tried; null before any attempt. */
export async function firstAttemptAt(db: Executor, messageId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`min(${webhookAttempts.attemptedAt})`.mapWith(webhookAttempts.attemptedAt) })
    .from(webhookAttempts)
    .where(eq(webhookAttempts.messageId, messageId));
  return row?.at ?? null;
}

export async function attemptsOf(db: Executor, messageIds: readonly string[]): Promise<AttemptRow[]> {
  if (messageIds.length === 0) return [];
  return db.select().from(webhookAttempts).where(inArray(webhookAttempts.messageId, [...messageIds])).orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id));
}

/** The organization's message, locked; another organization's answers as none. */
export async function lockMessage(db: Executor, organizationId: string, id: string): Promise<MessageRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookMessages)
    .where(and(eq(webhookMessages.id, id), eq(webhookMessages.organizationId, organizationId)))
    .for('update');
  return row;
}

/** Due now again, under the same id; attempts so far stay in the log. */
export async function requeueMessage(db: Executor, id: string, now: Date): Promise<MessageRow> {
  const [row] = await db
    .update(webhookMessages)
    .set({ state: 'pending', nextAttemptAt: now, lockedUntil: null })
    .where(eq(webhookMessages.id, id))
    .returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

const badCursor = () => new AppError('validation_failed', 'The cursor is not one this API returned.', 'cursor');

/** A forged cursor answers 400 instead of reaching the database as a failing cast. */
function cursorTime(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value) || Number.isNaN(Date.parse(value))) throw badCursor();
  return value;
}

function cursorMessageId(value: string): string {
  if (!/^msg_[0-9a-f-]{36}$/.test(value)) throw badCursor();
  return value;
}

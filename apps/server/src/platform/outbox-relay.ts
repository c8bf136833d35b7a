import { eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { preparedSql, type Database, type Tx } from '../db/database.ts';
import { outboxMessages } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { Email } from './outbox.ts';
import type { Sealer } from './seal.ts';

/**
 * True while an event about the same resource (`orderingKey`) that was queued before `sequence` is
 * still waiting to be handled. A resource's event is queued only after its previous change
 * committed, so a consumer that skips items for which this holds never meets a resource's event
 * before the one it follows, although several relays (nodes) handle events side by side and out of
 * order; events about other resources never hold it back.
 */
export function earlierEventPending(orderingKey: SQLWrapper, sequence: SQLWrapper): SQL {
  return sql`exists (select 1 from ${outboxMessages} o
    where o.state = 'pending' and o.kind = 'event' and o.ordering_key = ${orderingKey} and o.sequence < ${sequence})`;
}

export interface OutboxHandlers {
  /**
   * Delivers an email. When delivery itself is a database write (the embedded mailbox) it gets the
   * transaction that also marks the message sent, so it happens exactly once.
   */
  email(id: string, message: Email, tx: Tx): Promise<void>;
  /**
   * Handles a domain event in the transaction that marks it sent: what it writes happens exactly
   * once. `sequence` orders the events of one resource as their changes committed.
   */
  event(id: string, topic: string, payload: Record<string, unknown>, tx: Tx, sequence: number): Promise<void>;
  /**
   * True when `email` does nothing but write in the transaction it is given (the embedded mailbox):
   * such emails join the batch's transaction. Otherwise (SMTP) each email is sent in a transaction
   * of its own that commits its sent mark as soon as the server has it, so that a crash later in
   * the batch does not send it again.
   */
  emailInTransaction?: boolean;
}

export interface RelayOptions {
  db: Database;
  clock: Clock;
  sealer: Sealer;
  logger: Logger;
  handlers: OutboxHandlers;
  batch?: number;
  maxAttempts?: number;
  leaseMs?: number;
}

/** What the claim hands the relay of a message (the driver's raw row: `sequence` is a bigint). */
interface ClaimedRow extends Record<string, unknown> {
  id: string;
  kind: 'email' | 'event';
  topic: string;
  payload: string | null;
  attempts: number;
  sequence: string | number | bigint;
}

/**
 * Claims up to `limit` due messages in one statement: leased (so another relay skips them until
 * the lease lapses) and charged an attempt. The state and the limit are literals of the text (one
 * statement per batch size), so the generic plan is the custom one: it reads the pending messages'
 * partial index (`outbox_messages_due_idx`) in due order and stops after `limit` rows.
 */
function claimStatement(limit: number) {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`outbox batch must be a positive integer, not ${limit}`);
  return preparedSql<ClaimedRow>(
    `outbox_claim_${limit}`,
    sql`update ${outboxMessages} set locked_until = ${sql.placeholder('leaseEnd')}::timestamptz, attempts = attempts + 1
         where id in (
           select id from ${outboxMessages}
            where state = 'pending' and next_attempt_at <= ${sql.placeholder('now')}::timestamptz
              and (locked_until is null or locked_until <= ${sql.placeholder('now')}::timestamptz)
            order by next_attempt_at
            limit ${sql.raw(String(limit))}
            for update skip locked)
     returning id, kind, topic, payload, attempts, sequence`,
  );
}
const claimStatements = new Map<number, ReturnType<typeof claimStatement>>();

/** Marks a delivered batch sent in one statement and drops the payloads. */
const markSent = preparedSql(
  'outbox_mark_sent',
  sql`update ${outboxMessages} set state = 'sent', sent_at = ${sql.placeholder('now')}::timestamptz, payload = null, locked_until = null, last_error = null
       where id = any(${sql.placeholder('ids')}::uuid[])`,
);

/**
 * Delivers committed outbox messages at least once: claims due rows under a lease (SKIP LOCKED, so
 * several processes share the work), delivers a claimed batch in one transaction, then marks them
 * sent there and drops the sealed payload. Each message runs in a savepoint of that transaction: a
 * handler that throws undoes only its own writes, and its message is put back with exponential
 * backoff (`failed` after `maxAttempts`) while the rest of the batch commits as sent. A message
 * delivered outside the database (SMTP) gets a transaction of its own, as a crash must not undo
 * its sent mark once it is out. The batch size bounds how long one transaction stays open.
 */
export function createOutboxRelay(options: RelayOptions) {
  const { db, clock, sealer, logger, handlers } = options;
  const batch = options.batch ?? 20;
  const maxAttempts = options.maxAttempts ?? 10;
  const leaseMs = options.leaseMs ?? 60_000;
  let claimDue = claimStatements.get(batch);
  if (claimDue === undefined) {
    claimDue = claimStatement(batch);
    claimStatements.set(batch, claimDue);
  }
  const claimBatch = claimDue;

  async function claim(): Promise<ClaimedRow[]> {
    const now = clock.now();
    const rows = await claimBatch(db).execute({ now: now.toISOString(), leaseEnd: new Date(now.getTime() + leaseMs).toISOString() });
    // A resource's events are handled in the order their changes committed.
    return rows.sort((a, b) => Number(a.sequence) - Number(b.sequence));
  }

  /** Runs one message's handler; its writes join the batch's transaction. */
  async function handle(row: ClaimedRow, tx: Tx): Promise<void> {
    if (row.payload === null) throw new Error('payload missing');
    // Events are stored in clear since 2026-12; one queued before is still sealed (`v1.…`, never `{`).
    const text = row.kind === 'event' && row.payload.startsWith('{') ? row.payload : sealer.open(row.payload);
    const payload: unknown = JSON.parse(text);
    if (row.kind === 'email') await handlers.email(row.id, payload as Email, tx);
    else await handlers.event(row.id, row.topic, payload as Record<string, unknown>, tx, Number(row.sequence));
  }

  /** Puts a message whose delivery failed back for a later attempt, or ends it as `failed`. */
  async function markRetry(executor: Database | Tx, row: ClaimedRow, error: unknown): Promise<void> {
    const failed = row.attempts >= maxAttempts;
    const backoffMs = Math.min(2 ** row.attempts * 1000, 60 * 60 * 1000);
    logger.warn({ outboxId: row.id, topic: row.topic, attempts: row.attempts, failed }, 'outbox delivery failed');
    await executor
      .update(outboxMessages)
      .set({
        state: failed ? 'failed' : 'pending',
        nextAttemptAt: new Date(clock.now().getTime() + backoffMs),
        lockedUntil: null,
        lastError: error instanceof Error ? error.message.slice(0, 500) : 'unknown error',
      })
      .where(eq(outboxMessages.id, row.id));
  }

  /**
   * Splits a claimed batch, in order, into the groups delivered in one transaction each: runs of
   * messages whose handlers only write in the transaction, and every message that leaves the
   * database (an SMTP email) alone.
   */
  function groups(rows: ClaimedRow[]): ClaimedRow[][] {
    const result: ClaimedRow[][] = [];
    let run: ClaimedRow[] = [];
    for (const row of rows) {
      if (row.kind === 'event' || handlers.emailInTransaction === true) {
        run.push(row);
        continue;
      }
      if (run.length > 0) result.push(run);
      result.push([row]);
      run = [];
    }
    if (run.length > 0) result.push(run);
    return result;
  }

  /**
   * Delivers a group of claimed messages in one transaction (one commit for all of it). Should the
   * transaction itself fail (the connection lost), every message of the group is put back for
   * retry; should that fail too, their leases lapse and another drain claims them again.
   */
  async function deliver(rows: ClaimedRow[]): Promise<void> {
    try {
      await db.transaction(async (tx) => {
        const sent: string[] = [];
        for (const row of rows) {
          try {
            await tx.transaction((savepoint) => handle(row, savepoint));
            sent.push(row.id);
          } catch (error) {
            await markRetry(tx, row, error);
          }
        }
        if (sent.length > 0) await markSent(tx).execute({ now: clock.now().toISOString(), ids: sent });
      });
    } catch (error) {
      for (const row of rows) await markRetry(db, row, error);
    }
  }

  /** Delivers everything due now; returns how many messages it handled. */
  async function drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) return handled;
      for (const group of groups(rows)) await deliver(group);
      handled += rows.length;
    }
  }

  return { drain };
}

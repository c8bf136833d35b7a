import { and, asc, eq, inArray, isNull, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.ts';
import { outboxMessages } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { Email } from './outbox.ts';
import type { Sealer } from './seal.ts';

type OutboxRow = typeof outboxMessages.$inferSelect;

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

/**
 * Delivers committed outbox messages at least once: claims due rows under a lease (SKIP LOCKED, so
 * several processes share the work), delivers, then marks them sent and drops the sealed payload.
 * Failures back off exponentially and end as `failed` after `maxAttempts`.
 */
export function createOutboxRelay(options: RelayOptions) {
  const { db, clock, sealer, logger, handlers } = options;
  const batch = options.batch ?? 20;
  const maxAttempts = options.maxAttempts ?? 10;
  const leaseMs = options.leaseMs ?? 60_000;

  async function claim(): Promise<OutboxRow[]> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: outboxMessages.id })
        .from(outboxMessages)
        .where(
          and(
            eq(outboxMessages.state, 'pending'),
            lte(outboxMessages.nextAttemptAt, now),
            or(isNull(outboxMessages.lockedUntil), lte(outboxMessages.lockedUntil, now)),
          ),
        )
        .orderBy(asc(outboxMessages.nextAttemptAt))
        .limit(batch)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(outboxMessages)
        .set({ lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${outboxMessages.attempts} + 1` })
        .where(inArray(outboxMessages.id, due.map((d) => d.id)))
        .returning();
    });
  }

  async function deliver(row: OutboxRow): Promise<void> {
    try {
      if (row.payload === null) throw new Error('payload missing');
      const payload: unknown = JSON.parse(sealer.open(row.payload));
      await db.transaction(async (tx) => {
        if (row.kind === 'email') await handlers.email(row.id, payload as Email, tx);
        else await handlers.event(row.id, row.topic, payload as Record<string, unknown>, tx, row.sequence);
        await tx
          .update(outboxMessages)
          .set({ state: 'sent', sentAt: clock.now(), payload: null, lockedUntil: null, lastError: null })
          .where(eq(outboxMessages.id, row.id));
      });
    } catch (error) {
      const failed = row.attempts >= maxAttempts;
      const backoffMs = Math.min(2 ** row.attempts * 1000, 60 * 60 * 1000);
      logger.warn({ outboxId: row.id, topic: row.topic, attempts: row.attempts, failed }, 'outbox delivery failed');
      await db
        .update(outboxMessages)
        .set({
          state: failed ? 'failed' : 'pending',
          nextAttemptAt: new Date(clock.now().getTime() + backoffMs),
          lockedUntil: null,
          lastError: error instanceof Error ? error.message.slice(0, 500) : 'unknown error',
        })
        .where(eq(outboxMessages.id, row.id));
    }
  }

  /** Delivers everything due now; returns how many messages it handled. */
  async function drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) return handled;
      for (const row of rows) await deliver(row);
      handled += rows.length;
    }
  }

  return { drain };
}

import { outboxMessages } from '../db/schema.ts';
import type { Clock } from './clock.ts';
import { newTimeOrderedId } from './ids.ts';
import type { Sealer } from './seal.ts';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

export interface Outbox {
  /** Queues an email in the caller's transaction; it is delivered only if the transaction commits. */
  email(message: Email, topic: string): Promise<string>;
  /**
   * Queues a domain event for later consumers (webhooks). Events with one `orderingKey` (the
   * resource they are about) are consumed in the order they were queued.
   */
  event(topic: string, payload: Record<string, unknown>, orderingKey?: string): Promise<string>;
}

export type OutboxRow = typeof outboxMessages.$inferInsert;

/**
 * Queues messages into `pending`; the unit of work writes them in the same transaction just before
 * it commits (see `runInTransaction`), so a message exists only if its change does.
 */
export function createOutbox(pending: OutboxRow[], clock: Clock, sealer: Sealer): Outbox {
  const queue = (row: OutboxRow): string => {
    pending.push(row);
    return row.id;
  };
  return {
    email: async (message, topic) => queue(emailRow(message, topic, clock, sealer)),
    // An event carries what its audit record stores in clear (docs/decisions.md), and a statement may write it in SQL (`auditedChange`).
    event: async (topic, payload, orderingKey) => queue(outboxRow('event', topic, JSON.stringify(payload), orderingKey ?? null, clock)),
  };
}

/**
 * An email's outbox row, sealed: emails carry links (invitations, resets). For a write that is one
 * statement, which inserts it itself (`queuedEmails`): SQL cannot seal.
 */
export function emailRow(message: Email, topic: string, clock: Clock, sealer: Sealer): OutboxRow {
  return outboxRow('email', topic, sealer.seal(JSON.stringify(message)), null, clock);
}

/** A message due now. */
function outboxRow(kind: 'email' | 'event', topic: string, payload: string, orderingKey: string | null, clock: Clock): OutboxRow {
  const now = clock.now();
  return { id: newTimeOrderedId(), kind, topic, orderingKey, payload, state: 'pending', nextAttemptAt: now, createdAt: now };
}

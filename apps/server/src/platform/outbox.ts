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
  const queue = async (kind: 'email' | 'event', topic: string, payload: unknown, orderingKey: string | null = null): Promise<string> => {
    const id = newTimeOrderedId();
    const now = clock.now();
    pending.push({
      id,
      kind,
      topic,
      orderingKey,
      // Emails carry links (invitations, resets): sealed. An event carries what its audit record
      // stores in clear (docs/decisions.md), and a statement may write it in SQL (`auditedChange`).
      payload: kind === 'email' ? sealer.seal(JSON.stringify(payload)) : JSON.stringify(payload),
      state: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    });
    return id;
  };
  return {
    email: (message, topic) => queue('email', topic, message),
    event: (topic, payload, orderingKey) => queue('event', topic, payload, orderingKey ?? null),
  };
}

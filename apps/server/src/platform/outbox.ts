import { outboxMessages } from '../db/schema.ts';
import type { Tx } from '../db/database.ts';
import type { Clock } from './clock.ts';
import { newId } from './ids.ts';
import type { Sealer } from './seal.ts';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

export interface Outbox {
  /** Queues an email in the caller's transaction; it is delivered only if the transaction commits. */
  email(message: Email, topic: string): Promise<string>;
  /** Queues a domain event for later consumers (webhooks). */
  event(topic: string, payload: Record<string, unknown>): Promise<string>;
}

export function createOutbox(tx: Tx, clock: Clock, sealer: Sealer): Outbox {
  const insert = async (kind: 'email' | 'event', topic: string, payload: unknown): Promise<string> => {
    const id = newId();
    const now = clock.now();
    await tx.insert(outboxMessages).values({
      id,
      kind,
      topic,
      payload: sealer.seal(JSON.stringify(payload)),
      state: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    });
    return id;
  };
  return {
    email: (message, topic) => insert('email', topic, message),
    event: (topic, payload) => insert('event', topic, payload),
  };
}

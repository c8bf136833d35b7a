import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, queryRows, type TestContext } from './harness.ts';
import { mailboxDelivery } from '../src/modules/notifications/index.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createOutboxRelay, type OutboxHandlers } from '../src/platform/outbox-relay.ts';
import { runInTransaction } from '../src/platform/unit-of-work.ts';

/*
 * The relay delivers a claimed batch in one transaction, each message in a savepoint of it: a
 * handler that fails undoes only its own writes and its message waits for a later attempt, while
 * the rest of the batch is marked sent with the handlers' writes — each exactly once.
 */
describe('outbox relay: batched delivery', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
    // What setting up queued is delivered now: from here on every due message is this file's.
    await t.drainOutbox();
  });
  afterAll(() => t.close());

  // The embedded mailbox writes only in the batch's transaction.
  const relay = (handlers: OutboxHandlers, batch = 20) => createOutboxRelay({ db: t.db, clock: t.clock, sealer: t.sealer, logger: createLogger('silent'), handlers: { ...handlers, emailInTransaction: true }, batch });

  /** Queues one email per address in one transaction; answers the outbox ids by address. */
  async function queueEmails(addresses: string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    await runInTransaction(t.uow, null, 'test', async (ctx) => {
      for (const to of addresses) ids.set(to, await ctx.outbox.email({ to, subject: 'Batch', text: `to ${to}` }, 'relay.batch'));
    });
    return ids;
  }

  const outboxRow = async (id: string) => {
    const [row] = await queryRows<{ state: string; attempts: number; next_attempt_at: string; locked_until: string | null; payload: string | null }>(
      t,
      sql`select state, attempts, next_attempt_at::text, locked_until::text, payload from outbox_messages where id = ${id}`,
    );
    return row;
  };
  const mailboxCopies = async (id: string) => {
    const [row] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from mailbox_messages where outbox_message_id = ${id}`);
    return row?.n;
  };

  it('a handler that throws after writing: its writes undone and its message retried later, the rest of the batch sent', async () => {
    const addresses = ['first@relay.test', 'throws@relay.test', 'fails-in-sql@relay.test', 'last@relay.test'];
    const ids = await queueEmails(addresses);
    const mailbox = mailboxDelivery(t.clock, t.sealer);
    const calls: string[] = [];
    const batch = relay({
      async email(id, message, tx) {
        calls.push(message.to);
        // Every handler writes first; two then fail, one in the application and one in the database.
        await mailbox(id, message, tx);
        if (message.to.startsWith('throws')) throw new Error('the handler failed');
        if (message.to.startsWith('fails-in-sql')) await tx.execute(sql`select 1 / 0`);
      },
      event: async () => undefined,
    });
    const now = t.clock.now().getTime();
    expect(await batch.drain()).toBe(addresses.length);
    expect(calls.sort()).toEqual([...addresses].sort());

    for (const to of ['first@relay.test', 'last@relay.test']) {
      const id = ids.get(to) ?? '';
      expect(await outboxRow(id)).toMatchObject({ state: 'sent', attempts: 1, locked_until: null, payload: null });
      expect(await mailboxCopies(id)).toBe(1);
    }
    for (const to of ['throws@relay.test', 'fails-in-sql@relay.test']) {
      const id = ids.get(to) ?? '';
      const row = await outboxRow(id);
      expect(row).toMatchObject({ state: 'pending', attempts: 1, locked_until: null });
      expect(new Date(row?.next_attempt_at ?? 0).getTime()).toBeGreaterThan(now);
      expect(await mailboxCopies(id)).toBe(0);
    }

    // Not due yet; once its backoff passed, each failed message is delivered (and written) once.
    expect(await batch.drain()).toBe(0);
    t.clock.advance(2_001);
    const redelivered = relay({ email: mailbox, event: async () => undefined });
    expect(await redelivered.drain()).toBe(2);
    for (const id of ids.values()) {
      expect((await outboxRow(id))?.state).toBe('sent');
      expect(await mailboxCopies(id)).toBe(1);
    }
  });

  it("a batch's messages are each delivered once, in the order they were queued, across several batches", async () => {
    const addresses = Array.from({ length: 23 }, (_, n) => `once-${String(n).padStart(2, '0')}@relay.test`);
    const ids = await queueEmails(addresses);
    const delivered: string[] = [];
    const mailbox = mailboxDelivery(t.clock, t.sealer);
    const batched = relay(
      {
        async email(id, message, tx) {
          delivered.push(id);
          await mailbox(id, message, tx);
        },
        event: async () => undefined,
      },
      5,
    );
    expect(await batched.drain()).toBe(addresses.length);
    expect(await batched.drain()).toBe(0);
    expect(delivered).toEqual(addresses.map((to) => ids.get(to)));
    for (const id of ids.values()) {
      expect((await outboxRow(id))?.state).toBe('sent');
      expect(await mailboxCopies(id)).toBe(1);
    }
  });

  it('an event is stored in clear and handed over as queued; one sealed before payloads were clear is still opened', async () => {
    const queued: Record<string, unknown> = { auditEventId: 'clear', after: { quantity: 3 } };
    let clearId = '';
    await runInTransaction(t.uow, null, 'test', async (ctx) => {
      clearId = await ctx.outbox.event('relay.clear', queued, 'test:clear');
    });
    expect((await outboxRow(clearId))?.payload).toBe(JSON.stringify(queued));
    // A row as a server before 2026-12-07 queued it: the event's payload sealed.
    const [sealed] = await queryRows<{ id: string }>(
      t,
      sql`insert into outbox_messages (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
          values (gen_random_uuid(), 'event', 'relay.sealed', 'test:sealed', ${t.sealer.seal(JSON.stringify({ auditEventId: 'sealed' }))}, 'pending', ${t.clock.now()}, ${t.clock.now()})
          returning id`,
    );
    const handed = new Map<string, unknown>();
    const batch = relay({ email: async () => undefined, event: async (id, _topic, payload) => void handed.set(id, payload) });
    expect(await batch.drain()).toBe(2);
    expect(handed).toEqual(new Map<string, unknown>([[clearId, queued], [sealed?.id ?? '', { auditEventId: 'sealed' }]]));
    for (const id of [clearId, sealed?.id ?? '']) expect(await outboxRow(id)).toMatchObject({ state: 'sent', payload: null });
  });
});

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/platform/actor.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createSmtpSender } from '../../src/platform/mail.ts';
import { createOutboxRelay, type OutboxHandlers } from '../../src/platform/outbox-relay.ts';
import { createSealer } from '../../src/platform/seal.ts';
import { runInTransaction, type UnitOfWorkDeps } from '../../src/platform/unit-of-work.ts';
import { createActorResolver } from '../../src/modules/identity/index.ts';
import { createCustomerInvitation } from '../../src/modules/invitations/create-customer-invitation.ts';
import { mailboxDelivery } from '../../src/modules/notifications/index.ts';
import { createOperator, createPartner, createTestContext, queryRows, type TestContext } from '../harness.ts';
import { iterations, reportFigures } from './proof-profile.ts';
import { repositoryRoot } from './server-process.ts';

/*
 * CRASH-04: the transactional outbox. An invitation's email is queued in the invitation's own
 * transaction, so a committed invitation is sent and a rolled-back one never is. The relay is
 * at-least-once: a relay process killed after sending but before marking the message sent leaves
 * the row leased; once the lease lapses the message goes out again under the same Message-ID
 * (the outbox id), which is how the receiver deduplicates. The embedded mailbox, written in the
 * transaction that marks the message sent, receives it exactly once even then.
 */

const leaseMs = 60_000;
const batch = iterations(6, 18);
/** An invitation queues two outbox messages: its email and its invitation.created event. */
const perInvitation = 2;

interface Received {
  messageId: string;
  to: string;
}

describe('CRASH-04: outbox delivery across commits, rollbacks and a relay crash', () => {
  let t: TestContext;
  let smtpServer: SMTPServer;
  let smtpUrl: string;
  const received: Received[] = [];
  let actor: Actor;
  const secretKey = randomBytes(32);
  const sealer = createSealer(secretKey);
  let uow: UnitOfWorkDeps;
  const figures: Record<string, number> = {};

  beforeAll(async () => {
    smtpServer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const head = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n')[0] ?? '';
          const header = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(head)?.[1]?.trim() ?? '';
          received.push({ messageId: header('Message-ID'), to: header('To') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      smtpServer.server.once('error', reject);
      smtpServer.listen(0, '127.0.0.1', () => resolve());
    });
    smtpUrl = `smtp://127.0.0.1:${(smtpServer.server.address() as AddressInfo).port}`;

    t = await createTestContext({ poolSize: 4 });
    if (t.database.url === null) throw new Error('CRASH-04 needs PostgreSQL');
    const operator = await createOperator(t);
    const reseller = await createPartner(t, operator, 'Outbox Reseller', 'indirect_reseller');
    // What setting the world up queued is delivered now; from here on every outbox row is this file's.
    await t.drainOutbox();
    const token = reseller.admin.cookie?.split('=')[1] ?? '';
    const resolved = await createActorResolver(t.db, t.clock).fromSession(token);
    if (resolved === null) throw new Error('no session');
    actor = resolved;
    // The queued emails are sealed with a key the relay process below also holds.
    uow = { db: t.db, clock: t.clock, sealer, publicUrl: t.uow.publicUrl };
  }, 300_000);

  afterAll(async () => {
    reportFigures('CRASH-04', figures);
    await t?.close();
    await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
  });

  const invite = (email: string) =>
    runInTransaction(uow, actor, 'outbox', (ctx) => createCustomerInvitation({ ...ctx, actor }, { email, expiresInDays: 7, send: true }));
  const inviteThenFail = (email: string) =>
    runInTransaction(uow, actor, 'outbox', async (ctx) => {
      await createCustomerInvitation({ ...ctx, actor }, { email, expiresInDays: 7, send: true });
      throw new Error('the use case failed after queueing its email');
    });

  function relay(handlers: OutboxHandlers) {
    return createOutboxRelay({ db: t.db, clock: t.clock, sealer, logger: createLogger('silent'), handlers, leaseMs });
  }
  const smtpRelay = () => {
    const smtp = createSmtpSender(smtpUrl, 'Tierlink <no-reply@tierlink.test>');
    return { relay: relay({ email: (id, message) => smtp.send(id, message), event: async () => undefined }), close: smtp.close };
  };

  /** The relay in a process of its own, killed with SIGKILL right after its first delivery; returns the outbox id it delivered. */
  async function crashRelay(mode: 'smtp' | 'mailbox'): Promise<string> {
    if (t.database.url === null) throw new Error('no database url');
    const child = spawn(path.join(repositoryRoot, 'node_modules/.bin/tsx'), [path.join(repositoryRoot, 'apps/server/test/crash/relay-process.ts')], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        RELAY_DATABASE_URL: t.database.url,
        RELAY_CLOCK: t.clock.now().toISOString(),
        RELAY_SECRET_KEY: secretKey.toString('hex'),
        RELAY_MODE: mode,
        RELAY_SMTP_URL: smtpUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const delivered = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /delivered ([0-9a-f-]{36})/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void exited.then(() => reject(new Error(`the relay process ended before delivering:\n${output}`)));
    });
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');
    return delivered;
  }

  it('a committed invitation is sent exactly once, a rolled-back one never', async () => {
    const committed = Array.from({ length: batch }, (_, i) => `committed-${i}@outbox.test`);
    const rolledBack = Array.from({ length: batch }, (_, i) => `rolled-back-${i}@outbox.test`);
    for (const [i, email] of committed.entries()) {
      await invite(email);
      await expect(inviteThenFail(rolledBack[i] ?? '')).rejects.toThrow('the use case failed');
    }
    const sends: { id: string; to: string }[] = [];
    const recording = relay({ email: async (id, message) => void sends.push({ id, to: message.to }), event: async () => undefined });
    expect(await recording.drain()).toBe(batch * perInvitation);
    expect(await recording.drain()).toBe(0);
    expect(sends.map((s) => s.to).sort()).toEqual([...committed].sort());
    expect(new Set(sends.map((s) => s.id)).size).toBe(batch);
    const [invitations] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from invitations where email like 'rolled-back-%'`);
    expect(invitations?.n).toBe(0);
    figures['committed, sent once'] = batch;
    figures['rolled back, sent never'] = batch;
  });

  it('a relay killed between sending and marking sent: re-sent after the lease under the same Message-ID, each message deduplicated to one', async () => {
    const leased = Array.from({ length: batch }, (_, i) => `leased-${i}@outbox.test`);
    for (const email of leased) await invite(email);
    const crashed = await crashRelay('smtp');
    expect(received.map((r) => r.messageId)).toEqual([`<${crashed}@tierlink>`]);
    // Committed after the crash, never claimed: the next relay sends them at once.
    const fresh = Array.from({ length: 2 }, (_, i) => `after-crash-${i}@outbox.test`);
    for (const email of fresh) await invite(email);

    const { relay: survivor, close } = smtpRelay();
    try {
      // Within the lease the crashed relay's claim holds: nothing of its batch goes out twice yet.
      expect(await survivor.drain()).toBe(fresh.length * perInvitation);
      expect(received.filter((r) => r.to.startsWith('leased-'))).toHaveLength(1);
      t.clock.advance(leaseMs + 1000);
      expect(await survivor.drain()).toBe(leased.length * perInvitation);
      expect(await survivor.drain()).toBe(0);
    } finally {
      close();
    }

    // At least once: the crashed message twice, under one Message-ID; every other message once.
    const byId = new Map<string, Received[]>();
    for (const r of received) byId.set(r.messageId, [...(byId.get(r.messageId) ?? []), r]);
    expect(byId.get(`<${crashed}@tierlink>`)).toHaveLength(2);
    expect([...byId.values()].filter((copies) => copies.length > 1)).toHaveLength(1);
    // A receiver that keeps one message per Message-ID has exactly one per invitation.
    expect([...byId.values()].map((copies) => copies[0]?.to).sort()).toEqual([...leased, ...fresh].sort());
    const [pending] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from outbox_messages where state <> 'sent'`);
    expect(pending?.n).toBe(0);
    figures['relay crashes'] = 1;
    figures['SMTP deliveries'] = received.length;
    figures['distinct Message-IDs'] = byId.size;
  });

  it('the embedded mailbox, written with the mark-sent, gets exactly one copy despite the crash', async () => {
    const addresses = Array.from({ length: batch }, (_, i) => `mailbox-${i}@outbox.test`);
    for (const email of addresses) await invite(email);
    const crashed = await crashRelay('mailbox');
    t.clock.advance(leaseMs + 1000);
    const survivor = relay({ email: mailboxDelivery(t.clock, sealer), event: async () => undefined });
    expect(await survivor.drain()).toBe(addresses.length * perInvitation);
    const rows = await queryRows<{ to: string; n: number }>(
      t,
      sql`select to_address as to, count(*)::int as n from mailbox_messages where to_address like 'mailbox-%' group by 1 order by 1`,
    );
    expect(rows).toEqual([...addresses].sort().map((to) => ({ to, n: 1 })));
    const [row] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from mailbox_messages where outbox_message_id = ${crashed}`);
    expect(row?.n).toBe(1);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type ApiWorld } from '../crash/world.ts';
import { iterations, reportFigures } from '../crash/proof-profile.ts';
import { pause, repositoryRoot } from '../crash/server-process.ts';
import { createEmptyDatabase } from '../database.ts';
import { MailSink, startNodes, type Nodes } from './cluster.ts';

/*
 * SCALE-02: two nodes, each with its own worker, on one PostgreSQL. Both started at the same
 * moment on an empty database run the migrations once between them. Every outbox email is
 * accepted by an SMTP server exactly once (counted by Message-ID, which is the outbox id) while
 * both workers deliver, and also when one node is killed with SIGKILL in the middle of a batch:
 * its SMTP server never accepts one of its messages, so the node dies with that message in DATA and
 * the rest of its batch leased; the other node delivers them once the lease (60 s) lapses.
 */

const batch = iterations(30, 120);
const journal = path.join(repositoryRoot, 'apps/server/src/db/migrations/meta/_journal.json');

interface OutboxRow {
  id: string;
  state: string;
}

describe('SCALE-02: two nodes migrate an empty database once and deliver every outbox email exactly once, across a SIGKILL', () => {
  let admin: pg.Client;
  let db: pg.Client;
  let name: string;
  let sink: MailSink;
  let cluster: Nodes;
  let world: ApiWorld;
  let started = 0;
  const figures: Record<string, number | string> = {};

  beforeAll(async () => {
    // An empty database: no migration has run on it yet.
    const empty = await createEmptyDatabase('SCALE-02');
    ({ admin, name } = empty);
    const url = empty.url;
    sink = await MailSink.start(2);
    const begin = performance.now();
    cluster = await startNodes(url, 2, { together: true, env: (i) => ({ SMTP_URL: sink.urls[i] ?? '' }) });
    started = performance.now() - begin;
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 600_000);

  afterAll(async () => {
    reportFigures('SCALE-02', figures);
    await cluster?.close();
    await db?.end();
    await sink?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  }, 120_000);

  const emails = async (): Promise<OutboxRow[]> => (await db.query<OutboxRow>(`select id, state from outbox_messages where kind = 'email' order by sequence`)).rows;

  /** Waits (bounded) until no email is pending; returns how long it took. */
  async function allSent(deadlineMs: number): Promise<number> {
    const begin = Date.now();
    for (;;) {
      const rows = await emails();
      if (rows.every((r) => r.state === 'sent')) return Date.now() - begin;
      if (Date.now() - begin > deadlineMs) throw new Error(`still pending after ${deadlineMs} ms: ${rows.filter((r) => r.state !== 'sent').length}`);
      await pause(200);
    }
  }

  /** Every email row accepted exactly once, and nothing accepted that is not an email row. */
  async function exactlyOnce(): Promise<void> {
    const ids = (await emails()).map((r) => `<${r.id}@tierlink>`);
    const copies = new Map<string, number>();
    for (const d of sink.accepted) copies.set(d.messageId, (copies.get(d.messageId) ?? 0) + 1);
    expect([...copies.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...copies.keys()].sort()).toEqual([...ids].sort());
  }

  const invite = (tag: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const answer = await world.provider.api.post('/api/v1/reseller-invitations', { email: `${tag}-${i}@two-nodes.test` });
        expect(answer.status, answer.raw).toBe(201);
      }),
    );

  it('both nodes, started at the same moment on an empty database, run every migration once and start healthy', async () => {
    const expected = (JSON.parse(readFileSync(journal, 'utf8')) as { entries: unknown[] }).entries.length;
    const applied = await db.query<{ n: number; hashes: number }>('select count(*)::int as n, count(distinct hash)::int as hashes from drizzle.__drizzle_migrations');
    expect(applied.rows[0]).toEqual({ n: expected, hashes: expected });
    for (const node of cluster.nodes) expect((await fetch(`${node.base}/readyz`)).status).toBe(200);
    figures['migrations applied once'] = expected;
    figures['both nodes healthy after (s)'] = Math.round(started / 100) / 10;
  });

  it('with both workers running, every email is accepted exactly once, by either node', async () => {
    world = await buildWorld(cluster.proxy.base, 'Mail', 0, 0);
    await allSent(60_000);
    // Held at the SMTP servers while the batch commits, so both workers find a backlog to share.
    sink.hold();
    await invite('both', batch);
    sink.release();
    figures['both running: delivered in (ms)'] = await allSent(120_000);
    await exactlyOnce();
    const byNode = [0, 1].map((node) => sink.accepted.filter((d) => d.node === node).length);
    expect(byNode.every((n) => n > 0), `deliveries per node ${byNode.join(' / ')}`).toBe(true);
    figures['both running: accepted by node a / b'] = byNode.join(' / ');
  }, 300_000);

  it('a node killed with SIGKILL in the middle of a delivery batch: the other delivers the rest once its lease lapses, every email once', async () => {
    const [a, b] = cluster.nodes;
    if (a === undefined || b === undefined) throw new Error('two nodes expected');
    sink.hold();
    await invite('kill', batch);
    // Node a delivers the message it holds and one more of its next batch; the one after never
    // gets its 250, so a dies inside that batch with the rest of it leased.
    sink.stall(0, 2);
    sink.release();
    const deadline = Date.now() + 120_000;
    while (sink.stalled.length === 0) {
      if (Date.now() > deadline) throw new Error('node a never reached the stalled message');
      await pause(20);
    }
    const leased = await db.query<{ n: number }>(`select count(*)::int as n from outbox_messages where state = 'pending' and locked_until > now()`);
    cluster.proxy.setUpstreams([b.base]);
    expect((await a.kill9()).signal).toBe('SIGKILL');
    figures['killed mid-batch: pending and leased at the kill'] = leased.rows[0]?.n ?? -1;
    figures['killed mid-batch: delivered by b after (ms)'] = await allSent(180_000);
    await exactlyOnce();
    const stalled = sink.stalled[0]?.messageId ?? '';
    expect(sink.accepted.filter((d) => d.messageId === stalled).map((d) => d.node)).toEqual([1]);
    figures['SMTP deliveries'] = sink.accepted.length;
    figures['email outbox rows'] = (await emails()).length;
  }, 400_000);
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import { buildWorld, linkOf, type ApiWorld } from '../crash/world.ts';
import { ok } from '../crash/http.ts';
import { iterations, reportFigures } from '../crash/proof-profile.ts';
import { pause } from '../crash/server-process.ts';
import { startNodes, type Nodes } from './cluster.ts';
import { HookSink, type Hit } from './hook-sink.ts';

/*
 * SCALE-03: webhooks on two nodes. Two real server processes (each with its delivery worker) on one
 * PostgreSQL send to one loopback receiver, which knows which node sent each request. Every
 * message is received once while both deliver; a node killed with SIGKILL while the receiver holds
 * its requests open has them sent again by the other after the 60 s lease under the same
 * `webhook-id`, and nothing is lost; one resource's changes arrive in commit order. Every wait is
 * bounded.
 */

const endpointCount = 4;
const burst = iterations(30, 120);
const pairs = iterations(40, 120);
const killed = iterations(5, 20);
const leaseMs = 60_000;

interface MessageRow {
  id: string;
  path: string;
  state: string;
  attempts: number;
  eventType: string;
  resourceKey: string;
}

describe('SCALE-03: webhooks from two nodes: each message once, none lost across a SIGKILL, one resource in commit order', () => {
  let database: TestDatabase;
  let cluster: Nodes;
  let world: ApiWorld;
  let sink: HookSink;
  const figures: Record<string, number | string> = {};

  const messages = async (): Promise<MessageRow[]> => {
    const result = (await database.handle.db.execute(sql`
      select m.id, substring(e.url from '/e[0-9]+$') as path, m.state, m.attempts, m.event_type as "eventType", m.resource_key as "resourceKey"
        from webhook_messages m join webhook_endpoints e on e.id = m.endpoint_id order by m.position, m.id`)) as unknown as { rows: MessageRow[] };
    return result.rows;
  };

  /** Waits (bounded) until `count` messages exist besides `before` and none of them is pending. */
  async function settled(before: ReadonlySet<string>, count: number, deadlineMs: number): Promise<MessageRow[]> {
    const started = Date.now();
    for (;;) {
      const mine = (await messages()).filter((m) => !before.has(m.id));
      if (mine.length === count && mine.every((m) => m.state !== 'pending')) return mine;
      if (Date.now() - started > deadlineMs) {
        throw new Error(`after ${deadlineMs} ms: ${mine.length} of ${count} messages, ${mine.filter((m) => m.state === 'pending').length} pending`);
      }
      await pause(100);
    }
  }

  const known = async (): Promise<Set<string>> => new Set((await messages()).map((m) => m.id));
  const hitsOf = (ids: ReadonlySet<string>): Hit[] => sink.hits.filter((h) => ids.has(h.id));
  const perNode = (hits: readonly Hit[]) => [0, 1].map((node) => hits.filter((h) => h.node === node).length);

  const invite = async (tag: string, i: number): Promise<{ id: string; token: string }> =>
    linkOf(ok(await world.provider.api.post('/api/v1/reseller-invitations', { email: `${tag}-${i}@hooks.test` }), 201) as never);

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 2 });
    if (database.url === null) throw new Error('SCALE-03 needs PostgreSQL');
    sink = await HookSink.start();
    cluster = await startNodes(database.url, 2, { env: () => ({ WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' }) });
    sink.groups = cluster.nodes.map((n) => n.pid);
    world = await buildWorld(cluster.proxy.base, 'Hooks', 0, 0);
    // Every event type; the provider hears of the invitations it sends.
    for (let i = 0; i < endpointCount; i += 1) {
      ok(await world.provider.api.post('/api/v1/webhook-endpoints', { url: sink.url(`/e${i}`), description: `sink ${i}` }), 201);
    }
    // An endpoint hears of changes made after its creation (compared to the millisecond).
    await pause(5);
  }, 600_000);

  afterAll(async () => {
    reportFigures('SCALE-03', figures);
    await cluster?.close();
    await sink?.close();
    await database?.drop();
  }, 120_000);

  it('a burst of changes on both nodes: every message is received exactly once, none lost, both workers delivering', async () => {
    const before = await known();
    // Slow answers keep a node busy with its batch, so the other claims the rest (SKIP LOCKED).
    sink.delayMs = 300;
    const begin = Date.now();
    await Promise.all(Array.from({ length: burst }, (_, i) => invite('burst', i)));
    const mine = await settled(before, burst * endpointCount, 120_000);
    figures['burst: messages'] = mine.length;
    figures['burst: all delivered after (ms)'] = Date.now() - begin;
    expect(mine.every((m) => m.state === 'succeeded' && m.eventType === 'invitation.created')).toBe(true);
    const ids = new Set(mine.map((m) => m.id));
    const copies = sink.copies();
    expect([...ids].filter((id) => copies.get(id)?.length !== 1), 'messages not received exactly once').toEqual([]);
    expect(hitsOf(ids)).toHaveLength(ids.size);
    const byNode = perNode(hitsOf(ids));
    expect(hitsOf(ids).filter((h) => h.node === -1)).toEqual([]);
    expect(byNode.every((n) => n > 0), `received from node a / b: ${byNode.join(' / ')}`).toBe(true);
    figures['burst: received from node a / b'] = byNode.join(' / ');
  }, 300_000);

  it("one resource's changes (created, then revoked) arrive in commit order at every endpoint, with both nodes delivering", async () => {
    const before = await known();
    sink.delayMs = 0;
    // Created on one node and revoked on the other (the proxy alternates), many resources at once,
    // while the reseller (no endpoints) sends invitations too: the relays have a backlog, so one
    // resource's two events are often pending at once, in one batch or in both nodes' batches,
    // while the delivery workers are idle and claim what a fan-out commits at once.
    const noise = Array.from({ length: 2 * pairs }, async (_, i) =>
      ok(await world.reseller.api.post('/api/v1/customer-invitations', { email: `noise-${i}@hooks.test` }), 201),
    );
    await Promise.all([
      ...noise,
      ...Array.from({ length: pairs }, async (_, i) => {
        const link = await invite('order', i);
        ok(await world.provider.api.post(`/api/v1/invitations/${link.id}/revoke`));
      }),
    ]);
    const mine = await settled(before, pairs * 2 * endpointCount, 120_000);
    expect(mine.every((m) => m.state === 'succeeded')).toBe(true);
    const ids = new Set(mine.map((m) => m.id));
    expect(hitsOf(ids)).toHaveLength(ids.size);
    const hits = hitsOf(ids);
    // Per endpoint and invitation, the order the receiver saw (hits are kept in arrival order).
    const sequences = new Map<string, string[]>();
    for (const h of hits) {
      const key = `${h.path} ${h.dataId}`;
      sequences.set(key, [...(sequences.get(key) ?? []), h.type]);
    }
    expect(sequences.size).toBe(pairs * endpointCount);
    const outOfOrder = [...sequences.entries()].filter(([, types]) => types.join(',') !== 'invitation.created,invitation.revoked');
    expect(outOfOrder, 'created must arrive before revoked').toEqual([]);
    const byNode = perNode(hits);
    expect(byNode.every((n) => n > 0), `received from node a / b: ${byNode.join(' / ')}`).toBe(true);
    // How often the relays fanned the later event out first (the hazard the order rule is for).
    const reversed = (await database.handle.db.execute(sql`
      select count(*)::int as n from webhook_messages c join webhook_messages r
        on r.endpoint_id = c.endpoint_id and r.resource_key = c.resource_key
       where c.event_type = 'invitation.created' and r.event_type = 'invitation.revoked' and r.created_at < c.created_at`)) as unknown as { rows: { n: number }[] };
    figures['order: later event fanned out first'] = reversed.rows[0]?.n ?? -1;
    figures['order: resources × endpoints in order'] = sequences.size;
    figures['order: received from node a / b'] = byNode.join(' / ');
  }, 300_000);

  it('a node killed with SIGKILL while its requests are held open: after the lease the other sends them again under the same webhook-id, nothing lost', async () => {
    const before = await known();
    sink.delayMs = 0;
    sink.hold();
    const expected = killed * endpointCount;
    await Promise.all(Array.from({ length: killed }, (_, i) => invite('kill', i)));
    // Every message in flight (held), or 5 s at most: attempts time out after 10 s.
    const heldSince = Date.now();
    while (sink.hits.filter((h) => !before.has(h.id)).length < expected && Date.now() - heldSince < 5000) await pause(20);
    const held = sink.hits.filter((h) => !before.has(h.id) && h.status === null);
    const victim = held[0]?.node ?? -1;
    expect(victim, 'a held request from a known node').toBeGreaterThanOrEqual(0);
    const node = cluster.nodes[victim];
    const survivor = cluster.nodes[1 - victim];
    if (node === undefined || survivor === undefined) throw new Error('two nodes expected');
    cluster.proxy.setUpstreams([survivor.base]);
    expect((await node.kill9()).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    figures['kill: held at the kill (victim / other)'] = `${held.filter((h) => h.node === victim).length} / ${held.filter((h) => h.node !== victim).length}`;
    // The receiver notices the victim's connections close before it answers the survivor's.
    const closing = Date.now();
    while (held.some((h) => h.node === victim && !h.abandoned) && Date.now() - closing < 5000) await pause(20);
    sink.release();

    const mine = await settled(before, expected, leaseMs + 90_000);
    figures['kill: all delivered after the kill (ms)'] = Date.now() - killedAt;
    expect(mine.every((m) => m.state === 'succeeded')).toBe(true);
    const ids = new Set(mine.map((m) => m.id));
    const copies = sink.copies();
    const lostByVictim = new Set(sink.hits.filter((h) => ids.has(h.id) && h.node === victim && h.abandoned).map((h) => h.id));
    expect(lostByVictim.size).toBeGreaterThan(0);
    for (const id of ids) {
      const got = copies.get(id) ?? [];
      // Every message at least once; twice only when the first copy died with the killed node.
      expect(got.length, id).toBeGreaterThanOrEqual(1);
      expect(got.length, id).toBeLessThanOrEqual(lostByVictim.has(id) ? 2 : 1);
      if (lostByVictim.has(id)) {
        const [first, second] = got;
        expect(second?.node, id).toBe(1 - victim);
        expect(second?.status, id).toBe(200);
        // Not before the lease taken at the claim ran out.
        expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0), id).toBeGreaterThanOrEqual(leaseMs - 5000);
      }
    }
    // The claim counted both attempts; the dead node never recorded its own.
    expect(mine.filter((m) => lostByVictim.has(m.id)).every((m) => m.attempts === 2)).toBe(true);
    figures['kill: messages'] = ids.size;
    figures['kill: sent again under the same webhook-id'] = lostByVictim.size;
    figures['kill: received in all'] = hitsOf(ids).length;
  }, 400_000);
});

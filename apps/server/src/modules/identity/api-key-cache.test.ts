import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSecondApp, Client, createOperator, createPartner, createTestContext, expectOk, type TestContext } from '../../../test/harness.ts';
import type { Actor } from '../../platform/actor.ts';
import { createApiKeyCache } from './api-key-cache.ts';

const actor = { organizationId: 'o1' } as Actor;

describe('API key cache (unit)', () => {
  it('keeps a resolved key, forgets it on flush and after the TTL, and bypasses itself while not ready', async () => {
    const cache = createApiKeyCache({ maxEntries: 2, ttlMs: 1000 });
    const now = new Date('2026-11-02T09:00:00Z');
    const load = async () => ({ actor, lastUsedAt: null });
    await cache.load('h1', now, load);
    expect(cache.get('h1', now)).toBeUndefined(); // not ready: nothing kept
    cache.setReady(true);
    await cache.load('h1', now, load);
    expect(cache.get('h1', now)?.actor).toBe(actor);
    expect(cache.get('h1', new Date(now.getTime() + 1001))).toBeUndefined();
    await cache.load('h1', now, load);
    cache.flush();
    expect(cache.get('h1', now)).toBeUndefined();
    await cache.load('h1', now, load);
    cache.setReady(false);
    expect(cache.get('h1', now)).toBeUndefined();
  });

  it('does not keep what a lookup read before a flush that happened while it ran', async () => {
    const cache = createApiKeyCache({ maxEntries: 10, ttlMs: 60_000 });
    cache.setReady(true);
    const now = new Date();
    const found = await cache.load('h1', now, async () => {
      cache.flush(); // a revocation committed while the lookup was on its way
      return { actor, lastUsedAt: null };
    });
    expect(found?.actor).toBe(actor); // this request raced the revocation, as it would uncached
    expect(cache.get('h1', now)).toBeUndefined(); // the next one looks again
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = createApiKeyCache({ maxEntries: 2, ttlMs: 60_000 });
    cache.setReady(true);
    const now = new Date();
    for (const hash of ['a', 'b', 'c']) await cache.load(hash, now, async () => ({ actor, lastUsedAt: null }));
    expect(cache.get('a', now)).toBeUndefined();
    expect(cache.get('c', now)).toBeDefined();
  });
});

describe('API keys resolved through the cache', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(async () => {
    await t.close();
  });

  async function keyOf(owner: Client, roles: string[]): Promise<{ id: string; client: Client }> {
    const created = expectOk(await owner.post<{ apiKey: { id: string }; secret: string }>('/api/v1/api-keys', { name: 'automation', roles }), 201);
    const client = t.client();
    client.apiKey = created.secret;
    return { id: created.apiKey.id, client };
  }

  it('a revoked key fails on its very next use, on this instance and, once notified, on another one', async () => {
    const operator = await createOperator(t);
    const reseller = await createPartner(t, operator, 'Cached Reseller', 'indirect_reseller');
    const key = await keyOf(reseller.admin, ['admin_agent']);
    const second = await buildSecondApp(t, { notifications: true });
    try {
      const onSecond = new Client(second);
      onSecond.apiKey = key.client.apiKey;
      // Both instances have resolved (and cached) the key.
      for (let i = 0; i < 3; i += 1) {
        expect((await key.client.get('/api/v1/customers')).status).toBe(200);
        expect((await onSecond.get('/api/v1/customers')).status).toBe(200);
      }
      expect((await reseller.admin.delete(`/api/v1/api-keys/${key.id}`)).status).toBe(200);
      // The instance that revoked it: at once.
      expect((await key.client.get('/api/v1/customers')).status).toBe(401);
      // The other one: when the notification arrives (PGlite hands it over before the commit
      // returns; PostgreSQL delivers it to the listening connection a moment after).
      const deadline = Date.now() + 5000;
      let status = (await onSecond.get('/api/v1/customers')).status;
      while (status !== 401 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await onSecond.get('/api/v1/customers')).status;
      }
      expect(status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('only a commit that changed a credential flushes the cache: a revocation made with triggers off outlives other writes', async () => {
    const operator = await createOperator(t);
    const reseller = await createPartner(t, operator, 'Quiet Writes', 'indirect_reseller');
    const key = await keyOf(reseller.admin, ['admin_agent']);
    expect((await key.client.get('/api/v1/customers')).status).toBe(200);
    // Revoked behind the triggers' back: no NOTIFY, and no transaction marked stale.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update api_keys set revoked_at = now() where id = ${key.id}`);
    });
    expect((await key.client.get('/api/v1/customers')).status).toBe(200);
    // A write that changes no credential (a new key is an insert, which nothing resolved before)
    // keeps the cache: before, every write commit flushed it.
    const other = await keyOf(reseller.admin, ['admin_agent']);
    expect((await key.client.get('/api/v1/customers')).status).toBe(200);
    // A write that does (a revocation fires the trigger) flushes it at its commit.
    expect((await reseller.admin.delete(`/api/v1/api-keys/${other.id}`)).status).toBe(200);
    expect((await key.client.get('/api/v1/customers')).status).toBe(401);
  });

  it('a change made outside the app (a hand-made UPDATE) reaches the cache through the trigger', async () => {
    const operator = await createOperator(t);
    const reseller = await createPartner(t, operator, 'Hand Edited', 'indirect_reseller');
    const key = await keyOf(reseller.admin, ['admin_agent']);
    expect((await key.client.get('/api/v1/customers')).status).toBe(200);
    expect((await key.client.get('/api/v1/customers')).status).toBe(200);
    // The partner's approval withdrawn by hand: the key now belongs to an unverified partner.
    await t.db.execute(sql`update partner_profiles set state = 'in_review' where organization_id = ${reseller.id}`);
    const deadline = Date.now() + 5000;
    let answer = await key.client.get<{ code: string }>('/api/v1/customers');
    while (answer.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await key.client.get<{ code: string }>('/api/v1/customers');
    }
    expect([answer.status, answer.body.code]).toEqual([403, 'partner_not_verified']);
  });
});

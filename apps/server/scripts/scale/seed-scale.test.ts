import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createApiKey } from '../../src/modules/identity/create-api-key.ts';
import { loadUserActor } from '../../src/modules/identity/index.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import type { App } from '../../src/platform/http/routes.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createSealer } from '../../src/platform/seal.ts';
import { runInTransaction } from '../../src/platform/unit-of-work.ts';
import { createTestDatabase, engine, type TestDatabase } from '../../test/database.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { openCopyTarget, seedScale } from './load.ts';
import { scaleProfiles } from './profiles.ts';
import { idOf, ScaleWorld, scaleBenchPassword } from './world.ts';

const profile = scaleProfiles.tiny;
const asOf = new Date('2026-11-02T09:00:00Z');
const world = new ScaleWorld(profile, asOf);

describe('scale generator (tiny profile)', () => {
  let dataDir: string | null = null;
  let testDb: TestDatabase | null = null;
  let handle: DatabaseHandle;
  let app: App;
  let apiKey = '';

  beforeAll(async () => {
    // The generator migrates through the app's runner, loads with COPY, then the real app reads it.
    if (engine === 'pglite') {
      dataDir = mkdtempSync(path.join(tmpdir(), 'tierlink-scale-'));
      const target = await openCopyTarget({ dataDir });
      await seedScale(target, profile, { now: asOf });
      expect((await seedScale(target, profile)).chunksLoaded).toBe(0);
      await target.close();
      handle = await openDatabase({ engine: 'pglite', dataDir });
    } else {
      testDb = await createTestDatabase();
      const url = testDb.url ?? '';
      const target = await openCopyTarget({ databaseUrl: url });
      await seedScale(target, profile, { now: asOf });
      expect((await seedScale(target, profile)).chunksLoaded).toBe(0);
      await target.close();
      handle = testDb.handle;
    }
    const clock = new ManualClock(new Date(asOf.getTime() + 60_000));
    const sealer = createSealer(randomBytes(32));
    app = await buildApp({ config: { publicUrl: 'http://tierlink.test', smtpUrl: null }, db: handle.db, clock, logger: createLogger('silent'), sealer });
    const actor = await loadUserActor(handle.db, idOf('user:reseller', 0));
    if (actor === null) throw new Error('the largest reseller has no active admin');
    const uow = { db: handle.db, clock, sealer, publicUrl: 'http://tierlink.test' };
    apiKey = (await runInTransaction(uow, actor, 'test', (ctx) => createApiKey({ ...ctx, actor }, { name: 'bench', roles: ['admin_agent'] }))).secret;
    // Three PGlite opens (migrate, load, serve): seconds on a quiet machine, much more on a busy one.
  }, 180_000);

  afterAll(async () => {
    await app.close();
    if (testDb !== null) await testDb.drop();
    else await handle.close();
    if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${apiKey}` } });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  };

  it('lists every customer of the largest reseller, page by page, in name order', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await get(`/api/v1/customers?limit=50${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(reply.status).toBe(200);
      const items = reply.body['items'] as { name: string; id: string }[];
      names.push(...items.map((i) => i.name.toLowerCase()));
      cursor = reply.body['nextCursor'] as string | null;
    } while (cursor !== null);
    expect(names).toHaveLength(world.customersOfReseller[0] ?? -1);
    expect([...names].sort()).toEqual(names);
  });

  it('shows a joint customer with its subscriptions and delegated admin', async () => {
    const customerId = world.customerIds[0] ?? '';
    const customer = await get(`/api/v1/customers/${customerId}`);
    expect(customer.status).toBe(200);
    expect(customer.body['name']).toBe(world.customerName(0));
    const subscriptions = await get(`/api/v1/customers/${customerId}/subscriptions`);
    expect(subscriptions.status).toBe(200);
    expect(subscriptions.body['items']).toHaveLength(profile.subscriptionsPerJointCustomer);
  });

  it('lets a generated admin sign in with the bench password', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: { origin: 'http://tierlink.test' },
      payload: { email: 'admin@reseller-1.scale.example', password: scaleBenchPassword },
    });
    expect(response.statusCode).toBe(201);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpCustomer } from '../crash/world.ts';
import { freePort, pause, ServerProcess, serverSettings, type ServerSettings } from '../crash/server-process.ts';
import { createEmptyDatabase } from '../database.ts';
import { within } from './cluster.ts';

/*
 * PROCESS_ROLE (docs/deployment.md, "Process roles"): an `api` process and a `worker` process on
 * one PostgreSQL database. The api process commits a write with its outbox rows and leaves them
 * pending; the worker, which serves no API, delivers them. The worker also runs the health port.
 */

interface OutboxRow {
  id: string;
  state: string;
}

describe('process roles: an api process leaves its outbox rows to a worker process on the same database', () => {
  let admin: pg.Client;
  let db: pg.Client;
  let name: string;
  let settings: ServerSettings;
  let api: ServerProcess | null = null;
  let worker: ServerProcess | null = null;
  let healthPort = 0;
  let written: string[] = [];

  beforeAll(async () => {
    const empty = await createEmptyDatabase('the process roles test');
    ({ admin, name } = empty);
    const url = empty.url;
    settings = await serverSettings(url);
    api = await ServerProcess.start({ ...settings, env: { PROCESS_ROLE: 'api' } });
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 300_000);

  afterAll(async () => {
    await api?.kill9();
    await worker?.kill9();
    await db?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  }, 120_000);

  const rowsOf = async (ids: readonly string[]): Promise<OutboxRow[]> => (await db.query<OutboxRow>('select id, state from outbox_messages where id = any($1::uuid[])', [ids])).rows;

  it("an api process's write commits its outbox rows and leaves them pending", async () => {
    if (api === null) throw new Error('no api process');
    const before = await db.query<{ last: string }>('select coalesce(max(sequence), 0)::text as last from outbox_messages');
    await signUpCustomer(api.base, 'Roles Customer');
    written = (await db.query<{ id: string }>('select id from outbox_messages where sequence > $1::bigint', [before.rows[0]?.last ?? '0'])).rows.map((r) => r.id);
    expect(written.length).toBeGreaterThan(0);
    // A process running everything relays at once (woken on commit) and polls every second: after
    // several of its intervals, the api process has still not touched them.
    await pause(3_000);
    expect((await rowsOf(written)).map((r) => r.state)).toEqual(written.map(() => 'pending'));
  }, 120_000);

  it('a worker process on the same database delivers them', async () => {
    healthPort = await freePort();
    worker = await ServerProcess.start({ ...settings, port: await freePort(), env: { PROCESS_ROLE: 'worker', HEALTH_PORT: String(healthPort) } });
    const took = await within(60_000, async () => (await rowsOf(written)).every((r) => r.state === 'sent'));
    expect(took, JSON.stringify(await rowsOf(written))).not.toBeNull();
  }, 300_000);

  it('a worker answers the probes and /metrics, and 404 problem+json for an API or portal path', async () => {
    if (worker === null) throw new Error('no worker process');
    expect((await fetch(`${worker.base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${worker.base}/metrics`)).text()).toMatch(/tierlink_/);
    for (const path of ['/api/v1/customers', '/api/v1/organizations', '/api/docs', '/']) {
      const answer = await fetch(`${worker.base}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(await answer.json()).toMatchObject({ code: 'not_found', requestId: expect.any(String) });
    }
  });

  it("the worker's health port answers /healthz and, once its database ping succeeded, /readyz", async () => {
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
    const ready = await within(30_000, async () => (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 200);
    expect(ready).not.toBeNull();
  });
});

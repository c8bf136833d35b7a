import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBin } from '../../../../scripts/postgres-cluster.mjs';
import { currentTotp, HttpClient, ok, signInWithNewMfa } from '../crash/http.ts';
import { buildWorld, partnerPassword, type ApiWorld } from '../crash/world.ts';
import { reportFigures } from '../crash/proof-profile.ts';
import { freePort, ServerProcess, serverSettings, type ServerSettings } from '../crash/server-process.ts';

/*
 * The backup and restore of docs/deployment.md, tested: a database seeded through the API of a real
 * server is dumped with `pg_dump -Fc`, restored with `pg_restore` into a new, empty database, and a
 * new server with the same SECRET_KEY serves it: every table's content is identical (an md5 digest
 * per table), sign-in with password and MFA works (the MFA seed is sealed with SECRET_KEY), API keys
 * work, and the lists read back what the seed made.
 */

interface Database {
  name: string;
  url: string;
}

describe('DEPLOY-01: pg_dump -Fc and pg_restore round trip of a seeded database, served by a new node', () => {
  let admin: pg.Client;
  let source: Database;
  let target: Database;
  let settings: ServerSettings;
  let world: ApiWorld;
  let seed: string;
  let partnerEmail: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'tierlink-backup-'));
  const figures: Record<string, number | string> = {};
  const bin = findPostgresBin();

  async function createDatabase(): Promise<Database> {
    const name = `t_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env['TEST_POSTGRES_URL'] ?? '');
    url.pathname = `/${name}`;
    return { name, url: url.toString() };
  }

  /** md5 of every row of every table of the public and drizzle schemas, by table. */
  async function digest(url: string): Promise<Record<string, string>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(
        `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'drizzle') order by 1`,
      );
      const out: Record<string, string> = {};
      for (const { name } of tables.rows) {
        const row = await client.query<{ n: number; md5: string | null }>(`select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as md5 from ${name} t`);
        out[name] = `${row.rows[0]?.n ?? 0}:${row.rows[0]?.md5 ?? ''}`;
      }
      return out;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    if (bin === null) throw new Error('PostgreSQL binaries not found');
    admin = new pg.Client({ connectionString: process.env['TEST_POSTGRES_URL'] });
    await admin.connect();
    source = await createDatabase();
    target = await createDatabase();
    settings = await serverSettings(source.url);
    const server = await ServerProcess.start(settings);
    try {
      world = await buildWorld(server.base, 'Backup', 2, 2);
      partnerEmail = 'admin@backup-extra.test';
      ok(
        await world.operator.post('/api/v1/operator/partners', {
          organization: { name: 'Backup Extra', domain: 'backup-extra.test', country: 'US' },
          program: 'indirect_reseller',
          admin: { displayName: 'Extra admin', email: partnerEmail, password: partnerPassword },
        }),
        201,
      );
      seed = (await signInWithNewMfa(server.base, partnerEmail, partnerPassword)).seed;
    } finally {
      // Stopped before the dump, so that the digests compare a database nobody writes to.
      await server.kill9();
    }
  }, 600_000);

  afterAll(async () => {
    reportFigures('DEPLOY-01', figures);
    for (const db of [source, target]) if (db !== undefined) await admin.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('dumps, restores into an empty database with identical content, and a new node with the same SECRET_KEY serves it', async () => {
    if (bin === null) throw new Error('PostgreSQL binaries not found');
    const file = path.join(dir, 'tierlink.dump');
    execFileSync(path.join(bin, 'pg_dump'), ['-Fc', '--no-owner', '-f', file, '-d', source.url]);
    execFileSync(path.join(bin, 'pg_restore'), ['--no-owner', '--exit-on-error', '-d', target.url, file]);
    const before = await digest(source.url);
    const after = await digest(target.url);
    expect(after).toEqual(before);
    expect(Object.keys(after).length).toBeGreaterThan(20);
    figures['tables compared'] = Object.keys(after).length;
    figures['rows'] = Object.values(after).reduce((sum, d) => sum + Number(d.split(':')[0]), 0);
    figures['dump size (kB)'] = Math.round(statSync(file).size / 1024);

    const restored = await ServerProcess.start({ ...settings, databaseUrl: target.url, port: await freePort() });
    try {
      const base = restored.base;
      // Password and MFA: the authenticator seed was sealed with SECRET_KEY and opens again.
      const partner = new HttpClient(base);
      // The step the seed's setup used is spent (replays are refused, also after a restore): the next one is taken then.
      const signIn = (at: number) => partner.post('/api/v1/sessions', { email: partnerEmail, password: partnerPassword, totpCode: currentTotp(seed, at) });
      const first = await signIn(Date.now());
      if (first.status !== 201) ok(await signIn(Date.now() + 30_000), 201);
      expect(ok(await partner.get<{ user: { email: string } }>('/api/v1/me')).user.email).toBe(partnerEmail);
      // API keys (stored hashed) work; the lists show what the seed made.
      const as = (client: HttpClient) => new HttpClient(base).withApiKey(client.apiKey ?? '');
      const reseller = as(world.reseller.api);
      const customers = ok(await reseller.get<{ items: { id: string }[] }>('/api/v1/customers'));
      expect(customers.items.map((c) => c.id).sort()).toEqual(world.customers.map((c) => c.id).sort());
      const customer = world.customers[0];
      if (customer === undefined) throw new Error('no customer');
      const users = ok(await reseller.get<{ items: { id: string }[] }>(`/api/v1/customers/${customer.id}/users`));
      expect(users.items.map((u) => u.id)).toEqual(expect.arrayContaining(customer.userIds));
      const subscriptions = ok(await as(world.provider.api).get<{ items: { id: string }[] }>(`/api/v1/customers/${customer.id}/subscriptions`));
      expect(subscriptions.items.map((s) => s.id)).toContain(customer.seatSubscriptionId);
      // Sealed mail opens: the invitation email to the reseller is in the mailbox (delivered before
      // the dump, or by the new node's worker from the restored outbox).
      const operator = as(world.operator);
      const mailed = async () => ok(await operator.get<{ items: { to: string; text: string }[] }>('/api/v1/mailbox?limit=100')).items.some((m) => m.to === world.reseller.adminEmail && m.text.includes('token='));
      const deadline = Date.now() + 30_000;
      while (!(await mailed())) {
        if (Date.now() > deadline) throw new Error('the reseller\'s invitation email is not in the mailbox');
        await new Promise((r) => setTimeout(r, 200));
      }
      // And it writes: a user added through the reseller's delegated admin grant.
      ok(await reseller.post(`/api/v1/customers/${customer.id}/users`, { displayName: 'After restore', email: `after@${customer.domain}` }), 201);
      figures['restored node: sign-in with MFA, API keys, lists, mailbox, a write'] = 'ok';
    } finally {
      await restored.kill9();
    }
  }, 300_000);
});

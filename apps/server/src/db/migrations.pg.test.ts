import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';

// CRASH-07: processes starting together migrate one after the other under the advisory lock.
describe('migrations at start', () => {
  const admin = process.env['TEST_POSTGRES_URL'] ?? '';
  const name = `t_${randomBytes(6).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;

  afterAll(async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });

  it('run once when four processes start at the same time on an empty database', async () => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();

    const handles = await Promise.all([1, 2, 3, 4].map(() => openDatabase({ engine: 'postgres', url: url.toString(), poolSize: 2 })));
    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    const applied = await check.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    const tables = await check.query<{ n: number }>(
      "select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'audit_events'",
    );
    await check.end();
    await Promise.all(handles.map((h) => h.close()));

    const journal = (await import('./migrations/meta/_journal.json', { with: { type: 'json' } })).default as { entries: unknown[] };
    expect(applied.rows[0]?.n).toBe(journal.entries.length);
    expect(tables.rows[0]?.n).toBe(1);
  });
});

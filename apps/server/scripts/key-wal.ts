// WAL bytes per insert with random (v4) and time-ordered (v7) primary keys, after a checkpoint, on
// a table already holding ROWS rows (docs/scale.md, "Time-ordered keys"). It creates and drops a
// database `key_wal` of its own on the cluster it is given:
//   npx tsx apps/server/scripts/key-wal.ts postgres://postgres@127.0.0.1:5432/postgres
// ROWS (default 1 000 000) rows are loaded first, then N (5 000) single-row autocommit inserts are
// measured with pg_current_wal_lsn(); SECONDARY=0 leaves out the secondary (organization, time) index.
import pg from 'pg';
import { v4, v7 } from 'uuid';

const url = process.argv[2];
if (url === undefined) throw new Error('usage: key-wal.ts <postgres url of a database to create key_wal from>');
const rows = Number(process.env['ROWS'] ?? 1_000_000);
const inserts = Number(process.env['N'] ?? 5000);
const secondary = process.env['SECONDARY'] !== '0';

const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query('drop database if exists key_wal');
await admin.query('create database key_wal');
const target = new URL(url);
target.pathname = '/key_wal';
const db = new pg.Client({ connectionString: target.toString() });
await db.connect();

// A v7 in SQL for the preload: 48 bits of milliseconds (one per row, oldest first), version 7, random rest.
const v7Sql = `encode(overlay(overlay(uuid_send(gen_random_uuid())
    placing substring(int8send((extract(epoch from timestamptz '2026-01-01') * 1000)::bigint + g) from 3) from 1 for 6)
    placing set_byte('\\x00'::bytea, 0, (get_byte(uuid_send(gen_random_uuid()), 6) & 15) | 112) from 7 for 1), 'hex')::uuid`;
const organization = (i: number) => `00000000-0000-4000-8000-${String(i % 1000).padStart(12, '0')}`;

const report: Record<string, { walBytes: number; perInsert: number }> = {};
try {
  for (const kind of ['v4', 'v7'] as const) {
    const table = `t_${kind}`;
    await db.query(`create table ${table} (id uuid primary key, organization_id uuid not null, total_amount int not null, created_at timestamptz not null)`);
    if (secondary) await db.query(`create index on ${table} (organization_id, created_at)`);
    await db.query(
      `insert into ${table} select ${kind === 'v4' ? 'gen_random_uuid()' : v7Sql}, ('00000000-0000-4000-8000-' || lpad((g % 1000)::text, 12, '0'))::uuid, 100, now()
       from generate_series(1, ${rows}) g`,
    );
    await db.query(`vacuum analyze ${table}`);
    await db.query('checkpoint');
    const before = (await db.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]?.lsn ?? '0/0';
    const id = kind === 'v4' ? v4 : v7;
    for (let i = 0; i < inserts; i += 1) {
      await db.query(`insert into ${table} values ($1, $2, 100, now())`, [id(), organization(i)]);
    }
    const bytes = Number((await db.query<{ bytes: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text as bytes', [before])).rows[0]?.bytes ?? 0);
    report[kind] = { walBytes: bytes, perInsert: Math.round(bytes / inserts) };
  }
  console.log(JSON.stringify({ rows, inserts, secondaryIndex: secondary, ...report }));
} finally {
  await db.end();
  await admin.query('drop database if exists key_wal');
  await admin.end();
}

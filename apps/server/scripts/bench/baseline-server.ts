// The ceiling for customers.list: a bare Fastify route that replays, through the raw driver, the
// exact statements the app's repository emits for a page (the customers, then their delegated
// admin grants), with no auth, no transaction, no ORM and no response schema. On PostgreSQL each
// statement is prepared once per connection (named), as the app prepares its page statements. Before listening it
// also measures the raw rate of those statements with no HTTP at all.
// Env: PORT, DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite), RAW_SECONDS, RAW_PARTNER.
// Prints one JSON line `{"address":…, "raw": {…}}` once it listens.
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import Fastify from 'fastify';
import pg from 'pg';
import type { Database } from '../../src/db/database.ts';
import * as schema from '../../src/db/schema.ts';
import { listCustomers } from '../../src/modules/customers/list-customers.ts';
import type { Actor } from '../../src/platform/actor.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { UseCaseContext } from '../../src/platform/unit-of-work.ts';

interface Statement {
  text: string;
  params: unknown[];
}

const captured: Statement[] = [];
const logger = { logQuery: (text: string, params: unknown[]) => void captured.push({ text, params }) };
const databaseUrl = process.env['DATABASE_URL'];
const pglite = databaseUrl === undefined ? new PGlite(process.env['DATA_DIR'] ?? './data') : null;
const pool = databaseUrl === undefined ? null : new pg.Pool({ connectionString: databaseUrl, max: 10 }); // the app's pool size
const orm = (pglite !== null ? drizzlePglite(pglite, { schema, logger }) : drizzlePg(pool ?? new pg.Pool(), { schema, logger })) as unknown as Database;

const statementNames = new Map<string, string>();
async function raw(statement: Statement): Promise<unknown[]> {
  if (pglite !== null) return (await pglite.query(statement.text, statement.params, { rowMode: 'array' })).rows;
  if (pool === null) throw new Error('no database');
  let name = statementNames.get(statement.text);
  if (name === undefined) {
    name = `baseline_${createHash('sha256').update(statement.text).digest('hex').slice(0, 20)}`;
    statementNames.set(statement.text, name);
  }
  return (await pool.query({ name, text: statement.text, values: statement.params, rowMode: 'array' })).rows;
}

/**
 * The statements of one page, recorded once by running the app's own use case on the ORM with a
 * query logger (the data does not change while the baseline runs), then replayed raw.
 */
const pages = new Map<string, Promise<Statement[]>>();
function statementsOf(partner: string, cursor: string | undefined): Promise<Statement[]> {
  const key = `${partner} ${cursor ?? ''}`;
  let found = pages.get(key);
  if (found === undefined) {
    found = (async () => {
      const actor = { organizationId: partner } as Actor;
      const ctx = { actor, tx: orm, clock: systemClock } as unknown as UseCaseContext;
      const from = captured.length;
      await listCustomers(ctx, { limit: 50, ...(cursor === undefined ? {} : { cursor }) });
      return captured.slice(from);
    })();
    pages.set(key, found);
  }
  return found;
}

async function page(partner: string, cursor: string | undefined): Promise<{ statements: unknown[][] }> {
  const statements: unknown[][] = [];
  for (const statement of await statementsOf(partner, cursor)) statements.push(await raw(statement));
  return { statements };
}

/** Pages per second running the statements back to back, with as many callers as the pool has connections. */
async function rawRate(seconds: number, partner: string, callers: number): Promise<{ seconds: number; pages: number; pagesPerSecond: number }> {
  await statementsOf(partner, undefined);
  const until = performance.now() + seconds * 1000;
  let pages = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) {
        await page(partner, undefined);
        pages += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { seconds: elapsed, pages, pagesPerSecond: pages / elapsed };
}

const rawSeconds = Number(process.env['RAW_SECONDS'] ?? '0');
const rawPartner = process.env['RAW_PARTNER'];
const callers = pglite === null ? 10 : 1;
let rawResult: Awaited<ReturnType<typeof rawRate>> | null = null;
if (rawSeconds > 0 && rawPartner !== undefined) {
  await rawRate(Math.min(3, rawSeconds), rawPartner, callers);
  rawResult = await rawRate(rawSeconds, rawPartner, callers);
}

const app = Fastify({ logger: false });
app.get<{ Querystring: { partner: string; cursor?: string } }>('/customers', async (request) => page(request.query.partner, request.query.cursor));
const address = await app.listen({ port: Number(process.env['PORT'] ?? '0'), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ address, raw: rawResult })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app
      .close()
      .then(() => (pglite !== null ? pglite.close() : pool?.end()))
      .then(() => process.exit(0));
  });
}

import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Column, getTableColumns, is, SQL, Table } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything that runs queries: the database or an open transaction. */
export type Executor = Database | Tx;

/** Receives NOTIFYs of one channel; `onReady(false)` whenever some may be missed (no connection). */
export interface NotificationHandlers {
  onMessage(payload: string): void;
  onReady(ready: boolean): void;
}

/**
 * A statement prepared once per executor (the database, or one transaction) and kept while the
 * executor lives: `build` runs on the first use only. Named statements are parsed once per
 * connection (node-postgres remembers the names it parsed on each), so a transaction on a pooled
 * connection reuses what an earlier request parsed there.
 */
export function preparedPerExecutor<P>(build: (db: Executor) => P): (db: Executor) => P {
  const prepared = new WeakMap<Executor, P>();
  return (db) => {
    let found = prepared.get(db);
    if (found === undefined) {
      found = build(db);
      prepared.set(db, found);
    }
    return found;
  };
}

/**
 * The text each statement name was prepared with. A connection knows a named statement by its
 * name only: two texts under one name would make node-postgres refuse the second on a connection
 * that parsed the first, so a clash fails at once, on whichever connection.
 */
const statementTexts = new Map<string, string>();

/** Records `name` as the name of `text`; throws when the name already stands for another text. */
export function claimStatementName(name: string, text: string): void {
  const known = statementTexts.get(name);
  if (known === undefined) statementTexts.set(name, text);
  else if (known !== text) throw new Error(`prepared statement name ${name} is used by two different statements`);
}

/**
 * A Drizzle query (select, insert, update, delete) prepared under `name` once per executor, built
 * with placeholders (`sql.placeholder`) for its values: PostgreSQL parses it once per connection
 * and, after five runs, keeps a generic plan when that is as good as planning each call — so
 * nothing that decides index use may be a parameter (write constants into the text). PGlite runs
 * it like any other statement.
 */
export function preparedQuery<Q extends { toSQL(): { sql: string }; prepare(name: string): unknown }>(
  name: string,
  build: (db: Executor) => Q,
): (db: Executor) => ReturnType<Q['prepare']> {
  let claimed = false;
  return preparedPerExecutor((db) => {
    const query = build(db);
    if (!claimed) {
      claimStatementName(name, query.toSQL().sql);
      claimed = true;
    }
    return query.prepare(name) as ReturnType<Q['prepare']>;
  });
}

/** Turns raw SQL into text and parameters as the handles do (no casing rules are configured). */
const rawDialect = new PgDialect();

/**
 * A raw SQL statement, its values written as `sql.placeholder`s, prepared under `name` once per
 * executor; a run answers its rows as objects (as `db.execute` does). For the statements Drizzle's
 * builders cannot write (CTEs that write several tables).
 */
export function preparedSql<R extends Record<string, unknown>>(
  name: string,
  statement: SQL,
): (db: Executor) => { execute(values: Record<string, unknown>): Promise<R[]> } {
  const query = rawDialect.sqlToQuery(statement);
  claimStatementName(name, query.sql);
  return preparedPerExecutor((db) => {
    const prepared = db._.session.prepareQuery<PreparedQueryConfig & { execute: { rows: R[] } }>(query, undefined, name, false);
    return { execute: async (values) => (await prepared.execute(values)).rows };
  });
}

/** What a select names: columns, whole tables (at most one object deep, as our views are), and SQL decoded by its `mapWith`. */
export type Selection = Record<string, Column | Table | SQL | Record<string, Column>>;

/**
 * A select prepared once per executor under `name` whose rows are decoded by a mapper built once
 * from `selection`: the same objects Drizzle's `.execute()` makes (columns in the order Drizzle
 * writes them, each through its own column decoder), without Drizzle's generic per-cell type
 * checks, which were a sixth of a customer page's CPU. Inner joins only: no row is nulled. The
 * statement's text is built once per process.
 */
export function preparedSelect<R, P extends Record<string, unknown>>(
  name: string,
  selection: Selection,
  query: (db: Executor) => { toSQL(): { sql: string; params: unknown[] } },
): (db: Executor) => { execute(values: P): Promise<R[]> } {
  const steps = Object.entries(selection).flatMap(
    ([outer, field]): { outer: string; inner: string | null; decode: ((value: unknown) => unknown) | null }[] => {
      if (is(field, SQL)) return [{ outer, inner: null, decode: sqlDecoderOf(field) }];
      if (is(field, Column)) return [{ outer, inner: null, decode: decoderOf(field) }];
      const columns: Record<string, Column> = is(field, Table) ? getTableColumns(field) : field;
      return Object.entries(columns).map(([inner, column]) => ({ outer, inner, decode: decoderOf(column) }));
    },
  );
  const outers = steps.map((step) => step.outer);
  const inners = steps.map((step) => step.inner);
  const decoders = steps.map((step) => step.decode);
  const decode = (row: unknown[]): R => {
    const result: Record<string, unknown> = {};
    let nested: Record<string, unknown> = result;
    let nestedKey: string | null = null;
    for (let index = 0; index < steps.length; index += 1) {
      const outer = outers[index] ?? '';
      const inner = inners[index] ?? null;
      const raw = row[index] ?? null;
      const decoder = decoders[index] ?? null;
      const value = raw === null || decoder === null ? raw : decoder(raw);
      if (inner === null) {
        result[outer] = value;
        continue;
      }
      if (nestedKey !== outer) {
        nested = {};
        result[outer] = nested;
        nestedKey = outer;
      }
      nested[inner] = value;
    }
    return result as R;
  };
  let text: { sql: string; params: unknown[] } | null = null;
  return preparedPerExecutor((db) => {
    if (text === null) {
      text = query(db).toSQL();
      claimStatementName(name, text.sql);
    }
    return db._.session.prepareQuery<PreparedQueryConfig & { execute: R[] }>(text, undefined, name, true, (rows) => rows.map(decode));
  });
}

/**
 * The decoder `mapWith` gave an SQL field: Drizzle keeps it on the object (its own row mapper reads
 * it there) without declaring it; an SQL without one hands the driver's value through.
 */
function sqlDecoderOf(field: SQL): ((value: unknown) => unknown) | null {
  const decoder: unknown = Reflect.get(field, 'decoder');
  if (typeof decoder !== 'object' || decoder === null || !('mapFromDriverValue' in decoder)) return null;
  const map: unknown = decoder.mapFromDriverValue;
  return typeof map === 'function' ? (value: unknown) => Reflect.apply(map, decoder, [value]) as unknown : null;
}

/** Most columns (text, uuid, boolean) hand the driver's value through unchanged: no call for them. */
function decoderOf(column: Column): ((value: unknown) => unknown) | null {
  return column.mapFromDriverValue === Column.prototype.mapFromDriverValue ? null : (value: unknown) => column.mapFromDriverValue(value);
}

export interface DatabaseHandle {
  readonly db: Database;
  readonly engine: 'pglite' | 'postgres';
  /** LISTENs on `channel` until the returned stop is called (or the handle closes). */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  /**
   * Checks the database answers, never behind the requests' work: PostgreSQL over a connection of
   * its own outside the pool (`select 1`, 2 s at most); PGlite, which runs in this process, by its
   * being open (a query would wait behind the single connection's queue). Rejects when not.
   */
  ping(): Promise<void>;
  /** True when nothing but migrations has been written yet (used to decide about demo data). */
  isEmpty(): Promise<boolean>;
  close(): Promise<void>;
}

const moduleDir = path.dirname(fileURLToPath(import.meta.url));
const migrationsFolder = path.join(moduleDir, 'migrations');
/**
 * A migrated, empty PGlite cluster the build writes beside the bundle (`dist/pglite-template`, by
 * `db/template.ts`): a new data directory starts as a copy of it instead of running initdb and
 * every migration inside WASM (~5 s here). Absent when running from sources.
 */
const pgliteTemplate = path.join(moduleDir, 'pglite-template');
/** Arbitrary constant: every Tierlink process migrates under this advisory lock. */
const migrationLockKey = 7_415_026_113;

export type DatabaseOptions =
  | { engine: 'pglite'; dataDir: string | null }
  | { engine: 'postgres'; url: string; poolSize?: number };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.engine === 'pglite' ? openPglite(options.dataDir) : openPostgres(options.url, options.poolSize ?? 10);
}

async function openPglite(dataDir: string | null): Promise<DatabaseHandle> {
  if (dataDir !== null) startDataDir(path.resolve(dataDir));
  const client = dataDir === null ? new PGlite() : new PGlite(path.resolve(dataDir));
  const db = drizzlePglite(client, { schema });
  // One connection in one process: PGlite serializes transactions itself, the advisory lock is moot.
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Database,
    engine: 'pglite',
    // One process owns the data directory: every write is this process's own, and PGlite hands
    // its notifications over before the writing query resolves.
    async listen(channel, handlers) {
      const stop = await client.listen(channel, (payload) => handlers.onMessage(payload));
      handlers.onReady(true);
      return async () => {
        handlers.onReady(false);
        await stop();
      };
    },
    isEmpty: () => isEmpty(db as unknown as Database),
    ping: async () => {
      if (client.closed) throw new Error('the embedded database is closed');
    },
    close: () => client.close(),
  };
}

/**
 * Makes sure `dataDir` exists; when it holds no cluster yet (no `PG_VERSION`; it may already hold
 * the generated `secret.key`) and the build left a template, the cluster becomes a copy of it. The
 * copy is made beside the directory and its entries moved in with `PG_VERSION` last, so an
 * interrupted start never leaves what PGlite would take for a complete cluster; the next start
 * replaces what such a start left.
 */
function startDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(path.join(dataDir, 'PG_VERSION')) || !existsSync(path.join(pgliteTemplate, 'PG_VERSION'))) return;
  const copy = `${dataDir}.template-${process.pid}`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(pgliteTemplate, copy, { recursive: true });
  const entries = readdirSync(copy).sort((a, b) => Number(a === 'PG_VERSION') - Number(b === 'PG_VERSION'));
  for (const entry of entries) {
    rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    renameSync(path.join(copy, entry), path.join(dataDir, entry));
  }
  rmSync(copy, { recursive: true, force: true });
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  // Loaded here, not at the top: an embedded start never needs the driver.
  const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  // Connections are kept while idle (up to 5 minutes, instead of the driver's 10 s): each holds the
  // hot paths' named statements and their generic plans, which a new connection must prepare and
  // plan again (a custom plan for each of a statement's first five runs). A pool of idle clients
  // does not keep the process alive.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 300_000, allowExitOnIdle: true });
  // A broken idle connection must not crash the process; the next checkout gets a fresh one.
  pool.on('error', () => undefined);
  // Nor may a checked-out one: when the server goes away between two queries of a transaction,
  // the client emits 'error', which unhandled ends the process. The next query fails instead and
  // the pool discards the broken client on release.
  pool.on('connect', (connection) => connection.on('error', () => undefined));
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    }
  } finally {
    client.release();
  }
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  const listeners = new Set<() => Promise<void>>();
  const health = healthConnection(pg.Client, url);
  return {
    db,
    engine: 'postgres',
    async listen(channel, handlers) {
      const stop = listenPostgres(pg.Client, url, channel, handlers);
      listeners.add(stop);
      return async () => {
        listeners.delete(stop);
        await stop();
      };
    },
    isEmpty: () => isEmpty(db),
    ping: () => health.ping(),
    close: async () => {
      await health.close();
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}

/** Longest a readiness ping may take (connecting included) before it counts as a failure. */
const pingTimeoutMs = 2000;

/**
 * One connection outside the pool for readiness pings, so that a ping never waits for a pooled
 * connection behind the requests' work. Connected on the first ping; a failed ping ends it and the
 * next one connects anew. Pings at the same time share one query.
 */
function healthConnection(Client: typeof pg.Client, url: string): { ping(): Promise<void>; close(): Promise<void> } {
  let client: Promise<pg.Client> | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  const drop = async () => {
    const current = client;
    client = null;
    if (current !== null) await current.then((c) => c.end()).catch(() => undefined);
  };
  const connect = () => {
    const connection = new Client({ connectionString: url, connectionTimeoutMillis: pingTimeoutMs, query_timeout: pingTimeoutMs });
    // A connection lost between pings must not end the process; the next ping fails and reconnects.
    connection.on('error', () => undefined);
    return connection.connect().then(() => connection);
  };
  const once = async () => {
    if (closed) throw new Error('the database handle is closed');
    client ??= connect();
    try {
      await (await client).query('select 1');
    } catch (error) {
      await drop();
      throw error;
    }
  };
  return {
    ping() {
      running ??= once().finally(() => {
        running = null;
      });
      return running;
    },
    async close() {
      closed = true;
      await drop();
    },
  };
}

/**
 * A dedicated connection that LISTENs, reconnecting after a loss (1 s, then up to 30 s apart).
 * Between a loss and the next LISTEN, notifications are missed: `onReady(false)` says so.
 */
function listenPostgres(Client: typeof pg.Client, url: string, channel: string, handlers: NotificationHandlers): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retryMs = 1000;
  let timer: NodeJS.Timeout | null = null;
  const lost = (connection: pg.Client) => {
    if (client !== connection) return;
    client = null;
    handlers.onReady(false);
    void connection.end().catch(() => undefined);
    if (!stopped) timer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  };
  const connect = () => {
    timer = null;
    const connection = new Client({ connectionString: url });
    client = connection;
    connection.on('error', () => lost(connection));
    connection.on('end', () => lost(connection));
    connection.on('notification', (message) => {
      if (message.channel === channel) handlers.onMessage(message.payload ?? '');
    });
    connection
      .connect()
      .then(() => connection.query(`LISTEN ${connection.escapeIdentifier(channel)}`))
      .then(() => {
        if (client !== connection) return;
        retryMs = 1000;
        handlers.onReady(true);
      })
      .catch(() => lost(connection));
  };
  connect();
  return async () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    const connection = client;
    client = null;
    handlers.onReady(false);
    if (connection !== null) await connection.end().catch(() => undefined);
  };
}

async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.select({ id: schema.organizations.id }).from(schema.organizations).limit(1);
  return rows.length === 0;
}

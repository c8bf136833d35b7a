import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';

export type Engine = 'pglite' | 'postgres';

/** Which engine this test run uses: `TEST_DATABASE=postgres` (with `TEST_POSTGRES_URL`) or PGlite. */
export const engine: Engine = process.env['TEST_DATABASE'] === 'postgres' ? 'postgres' : 'pglite';

/** The admin URL of the throwaway PostgreSQL cluster the test script started. */
function adminUrl(): string {
  const url = process.env['TEST_POSTGRES_URL'];
  if (url === undefined) throw new Error('TEST_DATABASE=postgres needs TEST_POSTGRES_URL (npm test starts a cluster and sets it)');
  return url;
}

/**
 * An empty PostgreSQL database of its own, no migration run on it (the server processes a test
 * starts migrate it), and a client of the cluster's admin database to drop it with. `what` names
 * the test in the error when the run has no PostgreSQL.
 */
export async function createEmptyDatabase(what: string): Promise<{ admin: pg.Client; name: string; url: string }> {
  const cluster = process.env['TEST_POSTGRES_URL'];
  if (cluster === undefined) throw new Error(`${what} needs PostgreSQL (TEST_POSTGRES_URL)`);
  const admin = new pg.Client({ connectionString: cluster });
  await admin.connect();
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(cluster);
  url.pathname = `/${name}`;
  return { admin, name, url: url.toString() };
}

export interface TestDatabase {
  handle: DatabaseHandle;
  /** A connection string for this database (PostgreSQL only), e.g. for a second process or pg_dump. */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file: in-memory PGlite or a new PostgreSQL database. */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const handle = await openDatabase({ engine: 'pglite', dataDir: null });
    return { handle, url: null, drop: () => handle.close() };
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const handle = await openDatabase({ engine: 'postgres', url: url.toString(), poolSize: options.poolSize ?? 10 });
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

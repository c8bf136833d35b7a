// Build step (apps/server/scripts/ensure-built.mjs): writes a migrated, empty PGlite cluster to the
// folder given, which new embedded data directories then start from (see `startDataDir`).
import { sql } from 'drizzle-orm';
import { openDatabase } from './database.ts';

const [dir] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: template.mjs <folder>');
const handle = await openDatabase({ engine: 'pglite', dataDir: dir });
// The embedded server only ever uses the `postgres` database. The two template databases are
// more than half the cluster's files, and the copy's cost is per file; without them an embedded
// directory cannot run CREATE DATABASE unless it names `postgres` as its template.
await handle.db.execute(sql`UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')`);
await handle.db.execute(sql`DROP DATABASE template0`);
await handle.db.execute(sql`DROP DATABASE template1`);
await handle.db.execute(sql`CHECKPOINT`);
await handle.close();

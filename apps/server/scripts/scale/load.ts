import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { hashPassword } from '../../src/platform/passwords.ts';
import { openDatabase } from '../../src/db/database.ts';
import { scaleDatasets, type Dataset } from './datasets.ts';
import type { ScaleProfile } from './profiles.ts';
import { ScaleWorld, scaleBenchPassword } from './world.ts';

/** A database that takes COPY text; each chunk commits together with its ledger row. */
export interface CopyTarget {
  readonly engine: 'pglite' | 'postgres';
  /** Chunks loaded at once: one per connection on PostgreSQL, one on the single-connection PGlite. */
  readonly concurrency: number;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  loadChunk(dataset: Dataset, chunk: number, text: string, rows: number): Promise<void>;
  close(): Promise<void>;
}

const ledgerDdl = [
  `create table if not exists scale_seed_meta (profile text not null, as_of timestamptz not null, created_at timestamptz not null default now())`,
  `create table if not exists scale_seed_chunks (dataset text not null, chunk integer not null, rows integer not null,
     loaded_at timestamptz not null default now(), primary key (dataset, chunk))`,
];
const recordChunk = 'insert into scale_seed_chunks (dataset, chunk, rows) values ($1, $2, $3)';
const copySql = (d: Dataset, source: string) => `copy ${d.table} (${d.columns.join(', ')}) from ${source}`;

/** Migrates through the app's own runner (advisory lock included), then opens a raw connection pool for COPY. */
export async function openCopyTarget(options: { databaseUrl: string; connections?: number } | { dataDir: string }): Promise<CopyTarget> {
  if ('databaseUrl' in options) {
    await (await openDatabase({ engine: 'postgres', url: options.databaseUrl, poolSize: 1 })).close();
    const connections = options.connections ?? 2;
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: connections });
    return {
      engine: 'postgres',
      concurrency: connections,
      async query<T>(text: string, params: unknown[] = []) {
        return (await pool.query(text, params)).rows as T[];
      },
      async loadChunk(dataset, chunk, text, rows) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await pipeline(Readable.from([text]), client.query(copyFrom(copySql(dataset, 'stdin'))));
          await client.query(recordChunk, [dataset.name, chunk, rows]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  await (await openDatabase({ engine: 'pglite', dataDir: options.dataDir })).close();
  const db = new PGlite(path.resolve(options.dataDir));
  return {
    engine: 'pglite',
    concurrency: 1,
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
    async loadChunk(dataset, chunk, text, rows) {
      await db.transaction(async (tx) => {
        // PGlite reads COPY input from a blob mounted at /dev/blob.
        await tx.query(copySql(dataset, `'/dev/blob'`), [], { blob: new Blob([text]) });
        await tx.query(recordChunk, [dataset.name, chunk, rows]);
      });
    },
    close: () => db.close(),
  };
}

export interface SeedProgress {
  dataset: string;
  /** Rows this step added (0 for a chunk found in the ledger). */
  rows: number;
  /** Estimated rows this step stands for, loaded or skipped. */
  estimatedRows: number;
  skipped: boolean;
}

export interface SeedResult {
  profile: string;
  asOf: Date;
  rowsLoaded: number;
  chunksLoaded: number;
  chunksSkipped: number;
  seconds: number;
}

/**
 * Loads the profile's world chunk by chunk. Chunks already in the ledger are skipped, so an
 * interrupted load resumes where it stopped; a database seeded with another profile is refused.
 */
export async function seedScale(
  target: CopyTarget,
  profile: ScaleProfile,
  options: { onStart?: (estimatedRows: number) => void; onProgress?: (step: SeedProgress) => void; now?: Date } = {},
): Promise<SeedResult> {
  const started = performance.now();
  for (const ddl of ledgerDdl) await target.query(ddl);
  const [meta] = await target.query<{ profile: string; as_of: Date | string }>('select profile, as_of from scale_seed_meta limit 1');
  if (meta !== undefined && meta.profile !== profile.name) {
    throw new Error(`This database holds the "${meta.profile}" profile; seed "${profile.name}" into an empty database.`);
  }
  const asOf = meta === undefined ? (options.now ?? new Date()) : new Date(meta.as_of);
  if (meta === undefined) await target.query('insert into scale_seed_meta (profile, as_of) values ($1, $2)', [profile.name, asOf.toISOString()]);

  const world = new ScaleWorld(profile, asOf);
  const datasets = scaleDatasets(world, await hashPassword(scaleBenchPassword));
  options.onStart?.(datasets.reduce((sum, d) => sum + d.estimatedRows, 0));
  const done = new Set(
    (await target.query<{ dataset: string; chunk: number }>('select dataset, chunk from scale_seed_chunks')).map((row) => `${row.dataset}#${row.chunk}`),
  );

  let rowsLoaded = 0;
  let chunksLoaded = 0;
  let chunksSkipped = 0;
  for (const dataset of datasets) {
    const chunks = Math.ceil(dataset.size / dataset.chunk);
    const share = (chunk: number) => Math.round((dataset.estimatedRows * (Math.min(dataset.size, (chunk + 1) * dataset.chunk) - chunk * dataset.chunk)) / dataset.size);
    let next = 0;
    // Foreign keys only point to earlier datasets, so the chunks of one dataset load in any order.
    const worker = async () => {
      for (let chunk = next++; chunk < chunks; chunk = next++) {
        if (done.has(`${dataset.name}#${chunk}`)) {
          chunksSkipped += 1;
          options.onProgress?.({ dataset: dataset.name, rows: 0, estimatedRows: share(chunk), skipped: true });
          continue;
        }
        const start = chunk * dataset.chunk;
        const { text, rows } = dataset.generate(start, Math.min(dataset.size, start + dataset.chunk));
        await target.loadChunk(dataset, chunk, text, rows);
        rowsLoaded += rows;
        chunksLoaded += 1;
        options.onProgress?.({ dataset: dataset.name, rows, estimatedRows: share(chunk), skipped: false });
      }
    };
    await Promise.all(Array.from({ length: target.concurrency }, worker));
  }
  // Orders were copied in, not placed: start each credit line's running exposure at its pair's sum
  // of this month (what migration 0017 does for an existing database; commerce loadOrderFacts keeps it).
  await target.query(`update credit_terms c set
      exposure_period = date_trunc('month', now() at time zone 'utc') at time zone 'utc',
      exposure_amount = (select coalesce(sum(o.total_amount), 0) from orders o
        where o.provider_organization_id = c.provider_organization_id and o.reseller_organization_id = c.reseller_organization_id
          and o.state = 'completed' and o.created_at >= date_trunc('month', now() at time zone 'utc') at time zone 'utc')`);
  // Fresh statistics (and, on PostgreSQL, a visibility map for index-only scans) before anyone measures.
  await target.query(target.engine === 'postgres' && chunksLoaded > 0 ? 'vacuum analyze' : 'analyze');
  return { profile: profile.name, asOf, rowsLoaded, chunksLoaded, chunksSkipped, seconds: (performance.now() - started) / 1000 };
}

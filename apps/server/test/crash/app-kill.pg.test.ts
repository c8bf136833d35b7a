import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import { Ledger, verify, type LoadState } from './load.ts';
import { iterations, proofSeed, reportFigures } from './proof-profile.ts';
import { pause, ServerProcess, serverSettings, type ServerSettings } from './server-process.ts';
import { buildWorld, type ApiWorld } from './world.ts';

/*
 * CRASH-01 (and IDEM-07 by chance of timing): the real server (`tsx src/main.ts`) on PostgreSQL,
 * a mixed write load over HTTP, `kill -9` of the whole process group after a random number of
 * acknowledged writes, a restart on the same database and port, the retry of every request whose
 * answer was lost — then: every acknowledged write is there exactly once, nothing refused is
 * there, and the invariants hold (seats = orders + audited changes, licenses ≤ seats, one live
 * relationship per pair, one audit event per change, one queued email per sent invitation).
 */
const cycles = iterations(3, 20);

describe(`CRASH-01: kill -9 of the server under load (${cycles} cycles, seed ${proofSeed})`, () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let settings: ServerSettings;
  let server: ServerProcess;
  let world: ApiWorld;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 2 });
    if (database.url === null) throw new Error('CRASH-01 needs PostgreSQL');
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    settings = await serverSettings(database.url);
    server = await ServerProcess.start(settings);
    world = await buildWorld(server.base, 'Kill', 2, 4);
  }, 600_000);

  afterAll(async () => {
    if (server !== undefined) await server.kill9();
    await pool?.end();
    await database?.drop();
  }, 120_000);

  it('loses no acknowledged write, duplicates nothing, and keeps every invariant', async () => {
    const ledger = new Ledger(world, 'kill', proofSeed);
    let restarts = 0;
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      const state: LoadState = { cycle, stopped: false, acked: 0, outage: false, outageReplies: [] };
      // Count-based trigger: the kill lands after a random number of acknowledged writes, while
      // every worker has a request in flight.
      const killAfter = ledger.random.int(3, 25);
      const load = ledger.run(state);
      while (state.acked < killAfter) await pause(2);
      const exit = await server.kill9();
      state.stopped = true;
      expect(exit.signal).toBe('SIGKILL');
      await load;

      server = await ServerProcess.start(settings);
      restarts += 1;
      await ledger.retryOpen(pool, cycle);
      const open = ledger.ops.filter((o) => o.cycle === cycle && o.outcome === 'unknown');
      // The kill hit writes in flight, or the cycle proved nothing.
      expect(open.length).toBeGreaterThan(0);
      expect(open.filter((o) => o.resolution === null)).toEqual([]);

      const verdict = await verify(pool, ledger, settings.secretKey);
      expect(verdict.violations, `cycle ${cycle}, seed ${proofSeed}`).toEqual([]);
    }
    const figures = ledger.figures();
    reportFigures('CRASH-01', { cycles, restarts, ...figures });
    expect(figures.orders).toBeGreaterThan(0);
  }, 900_000);
});

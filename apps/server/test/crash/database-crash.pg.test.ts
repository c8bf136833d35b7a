import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../../../scripts/postgres-cluster.mjs';
import { HttpClient, NoAnswer } from './http.ts';
import { Ledger, verify, type LoadState } from './load.ts';
import { iterations, proofSeed, reportFigures } from './proof-profile.ts';
import { pause, ServerProcess, serverSettings, type ServerSettings } from './server-process.ts';
import { buildWorld, type ApiWorld } from './world.ts';

/*
 * CRASH-02 and CRASH-06: PostgreSQL crashes (`pg_ctl stop -m immediate`) under the same mixed write
 * load, on a cluster of this file's own. While it is down the server keeps running and answers
 * every request with a problem+json 503; once PostgreSQL is back (WAL replay) the same server
 * process recovers by itself, and every acknowledged commit is still there (synchronous commit and
 * fsync are on — asserted — so "acknowledged" means "durable").
 */
const cycles = iterations(2, 10);
/** Answers collected while the database is down, per cycle, before it is started again. */
const outageAnswers = iterations(12, 40);

describe(`CRASH-02: PostgreSQL crash under load (${cycles} cycles, seed ${proofSeed})`, () => {
  let cluster: Cluster;
  let pool: pg.Pool;
  let settings: ServerSettings;
  let server: ServerProcess;
  let world: ApiWorld;

  beforeAll(async () => {
    cluster = await startCluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE crash');
    await admin.end();
    const url = new URL(cluster.url);
    url.pathname = '/crash';
    pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    // A broken idle connection of the checking pool must not fail the test process during the crash.
    pool.on('error', () => undefined);
    settings = await serverSettings(url.toString());
    server = await ServerProcess.start(settings);
    world = await buildWorld(server.base, 'Outage', 2, 3);
  }, 600_000);

  afterAll(async () => {
    if (server !== undefined) await server.kill9();
    await pool?.end().catch(() => undefined);
    try {
      cluster?.stop();
    } catch {
      // A failed case may leave it crashed; its files are removed either way.
    }
  }, 120_000);

  it('runs with synchronous commit, fsync and full page writes on', async () => {
    for (const setting of ['synchronous_commit', 'fsync', 'full_page_writes']) {
      const { rows } = await pool.query<Record<string, string>>(`SHOW ${setting}`);
      expect([setting, rows[0]?.[setting]]).toEqual([setting, 'on']);
    }
  });

  it('answers 503 problem+json while the database is down, recovers without a restart, and keeps every acknowledged write', async () => {
    const ledger = new Ledger(world, 'outage', proofSeed);
    const pid = server.pid;
    const probe = new HttpClient(server.base);
    let recoveryProbes = 0;
    let outageTotal = 0;
    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      const state: LoadState = { cycle, stopped: false, acked: 0, outage: false, outageReplies: [] };
      const crashAfter = ledger.random.int(3, 20);
      const load = ledger.run(state);
      while (state.acked < crashAfter) await pause(2);
      cluster.crash();
      // From here on nothing can commit: every answer to a request sent now is about the outage.
      state.outage = true;
      const deadline = Date.now() + 120_000;
      while (state.outageReplies.length < outageAnswers && Date.now() < deadline) await pause(5);
      expect(server.running, `the server died with the database:\n${server.output.slice(-3000)}`).toBe(true);
      const ready = await probe.get<{ code?: string }>('/readyz');
      state.outage = false;
      cluster.start();

      // The same process comes back by itself: /readyz turns 200 without any restart.
      for (;;) {
        recoveryProbes += 1;
        try {
          if ((await probe.get('/readyz')).status === 200) break;
        } catch (error) {
          if (!(error instanceof NoAnswer)) throw error;
          throw new Error(`the server stopped answering after the database came back:\n${server.output.slice(-3000)}`);
        }
        if (recoveryProbes > 2000) throw new Error('the server did not recover after the database came back');
        await pause(50);
      }
      state.stopped = true;
      await load;
      expect(server.running).toBe(true);
      expect(server.pid).toBe(pid);

      expect(state.outageReplies.length).toBeGreaterThanOrEqual(outageAnswers);
      const malformed = state.outageReplies.filter((r) => r.status !== 503 || !r.contentType.startsWith('application/problem+json') || r.code !== 'service_unavailable');
      expect(malformed, 'every answer during the outage is a problem+json 503').toEqual([]);
      expect([ready.status, ready.body.code]).toEqual([503, 'service_unavailable']);

      await ledger.retryOpen(pool, cycle);
      const verdict = await verify(pool, ledger, settings.secretKey);
      expect(verdict.violations, `cycle ${cycle}, seed ${proofSeed}`).toEqual([]);
      outageTotal += state.outageReplies.length;
    }
    reportFigures('CRASH-02', { cycles, ...ledger.figures(), outageAnswers: outageTotal, recoveryProbes });
  }, 900_000);
});

// `npm run bench -- --db postgres|pglite --profile small|medium|large [--database-url URL] [--data-dir DIR]`
// Load-tests the real app on a database seeded by `npm run seed:scale`, next to a bare baseline,
// and writes bench/results/<date>-<db>-<profile>.{md,json}. See docs/scale.md.
// `npm run bench -- --render bench/results/X.json --notes notes.md` re-renders a report with notes.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultFanOut, runFanOut, type FanOutResult } from './bench/fan-out.ts';
import { defaultOverload, runOverload, type OverloadResult } from './bench/overload.ts';
import { prepareFixtures, type DatabaseTarget } from './bench/fixtures.ts';
import pg from 'pg';
import { limitWork, loopContender } from './bench/limit.ts';
import { cleanUpLimit } from './bench/limit-sql.ts';
import { cpuMsOf, parentPid, repoRoot, rssOf, setPostgresRoot, startApp, startBaseline, startLimitServer, type Server } from './bench/processes.ts';
import { evaluateTargets, latestResult, limitComparisons, renderMarkdown, type BenchReport, type LimitReport, type StartTimes } from './bench/report.ts';
import { appScenarios, baselineScenarios, measureOnce, measureOnceThen, runAlternating, runScenario, setWalProbe, type Contender, type Scenario, type ScenarioResult } from './bench/scenarios.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    profile: { type: 'string', default: 'small' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    repetitions: { type: 'string', default: '3' },
    invitations: { type: 'string' },
    /** webhooks.fanout: writes per second and seconds of load. */
    'fanout-rate': { type: 'string', default: String(defaultFanOut.rate) },
    'fanout-seconds': { type: 'string', default: String(defaultFanOut.seconds) },
    /** overload: seconds of each phase (10 connections, then 200). */
    'overload-seconds': { type: 'string', default: String(defaultOverload.seconds) },
    /** The app's MAX_IN_FLIGHT and IN_FLIGHT_QUEUE_MS (default: the server's own defaults). */
    'max-in-flight': { type: 'string' },
    'in-flight-queue-ms': { type: 'string' },
    /** Comma-separated scenario names (prefixes); the report is only written for full runs, or with --partial-report. */
    only: { type: 'string' },
    /** With --only: also write the report, as <date>-<db>-<profile>-<this name>.{md,json}. */
    'partial-report': { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'bench/results') },
    notes: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'skip-start-times': { type: 'boolean', default: false },
    /** Re-renders a written report (e.g. with --notes added) without measuring again. */
    render: { type: 'string' },
  },
});

if (values.render !== undefined) {
  const stored = JSON.parse(readFileSync(values.render, 'utf8')) as BenchReport;
  const notes = values.notes === undefined ? stored.notes : readFileSync(values.notes, 'utf8');
  // Targets are judged again, so that a report re-rendered after a fix of the judging reads as a new one would.
  const smallRun = stored.db === 'postgres' && stored.profile !== 'small' ? latestResult(values.out, 'postgres', 'small') : null;
  const updated: BenchReport = { ...stored, notes, targets: evaluateTargets(stored, smallRun) };
  writeFileSync(values.render, `${JSON.stringify(updated, null, 2)}\n`);
  writeFileSync(values.render.replace(/\.json$/, '.md'), renderMarkdown(updated));
  process.exit(0);
}

const db = values.db;
if (db !== 'postgres' && db !== 'pglite') throw new Error('--db is postgres or pglite');
const profile = values.profile;
const databaseUrl = values['database-url'] ?? process.env['BENCH_DATABASE_URL'];
if (db === 'postgres' && databaseUrl === undefined) throw new Error('--db postgres needs --database-url (or BENCH_DATABASE_URL) of a database seeded with `npm run seed:scale`');
const dataDir = path.resolve(values['data-dir'] ?? `./data/scale-${profile}`);
const target: DatabaseTarget = db === 'postgres' && databaseUrl !== undefined ? { databaseUrl } : { dataDir };
const settings = { seconds: Number(values.seconds), warmupSeconds: Number(values.warmup), repetitions: Number(values.repetitions) };
const only = values.only?.split(',').map((s) => s.trim()) ?? null;
const selected = (name: string) => only === null || only.some((prefix) => name.startsWith(prefix));
const log = (line: string) => process.stderr.write(`${line}\n`);
const appTarget = 'databaseUrl' in target ? { databaseUrl: target.databaseUrl } : { dataDir: target.dataDir };

const loadBefore = loadavg();
const date = new Date().toISOString().slice(0, 10);

// Each accept consumes one invitation: enough for the warm-up and every run at well above the target rate.
const invitationCount = Number(values.invitations ?? (db === 'postgres' ? 80_000 : 20_000)) * (selected('invitations.accept') ? 1 : 0) || 1;
log(`preparing inputs (${invitationCount} invitations)…`);
const fixtures = await prepareFixtures(target, invitationCount);
if (fixtures.profile !== profile) throw new Error(`the database holds profile "${fixtures.profile}", not "${profile}"`);

const startTimes: StartTimes = { firstStartMs: [], restartMs: [], seededStartMs: 0 };
if (db === 'pglite' && !values['skip-start-times']) {
  // First start: migrations on an empty directory; demo data is written after the server listens.
  for (let i = 0; i < 3; i += 1) {
    const fresh = mkdtempSync(path.join(tmpdir(), 'tierlink-start-'));
    try {
      const first = await startApp({ dataDir: fresh, demo: true });
      startTimes.firstStartMs.push(first.startMs);
      // Let the demo data finish so that the restart reopens a complete directory.
      await new Promise((resolve) => setTimeout(resolve, 8000));
      await first.stop();
      const again = await startApp({ dataDir: fresh });
      startTimes.restartMs.push(again.startMs);
      await again.stop();
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  log(`start: first ${startTimes.firstStartMs.map((n) => n.toFixed(0)).join(', ')} ms; restart ${startTimes.restartMs.map((n) => n.toFixed(0)).join(', ')} ms`);
}

// The bare baseline runs beside the app for the whole run (PGlite: on a copy of the data, since
// an embedded database has one process); it measures the raw query rate first, on an idle machine.
const runBaseline = selected('baseline') || selected('customers.list');
const baselineDir = runBaseline && 'dataDir' in target ? mkdtempSync(path.join(tmpdir(), 'tierlink-baseline-')) : null;
if (baselineDir !== null && 'dataDir' in target) cpSync(target.dataDir, baselineDir, { recursive: true });
const baseline = runBaseline
  ? await startBaseline({ ...(baselineDir === null ? appTarget : { dataDir: baselineDir }), rawSeconds: settings.seconds, rawPartner: fixtures.large.id })
  : null;
const rawPagesPerSecond = baseline?.raw?.pagesPerSecond ?? null;
if (baseline !== null) log(`baseline on ${baseline.url}; raw query rate ${rawPagesPerSecond?.toFixed(0) ?? 'n/a'} pages/s`);

const cpuProfDir = values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']);
if (cpuProfDir !== undefined) mkdirSync(cpuProfDir, { recursive: true });
// The in-flight bound as asked for (overload); unset, the server's defaults.
const boundEnv: Record<string, string> = {
  ...(values['max-in-flight'] === undefined ? {} : { MAX_IN_FLIGHT: values['max-in-flight'] }),
  ...(values['in-flight-queue-ms'] === undefined ? {} : { IN_FLIGHT_QUEUE_MS: values['in-flight-queue-ms'] }),
};
// On PostgreSQL the app runs as an `api` process and its background tasks (the outbox relay, webhook
// delivery, sweeps) in a `worker` process beside it, as a deployment may split them: the worker is
// paused while a run is measured and delivers the run's messages after it, so that the request
// path's database work and the relay's are measured apart. On PGlite one process runs everything.
const split = 'databaseUrl' in target;
// webhooks.fanout sends to a receiver on loopback.
const appEnv = { WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', ...boundEnv };
const app = await startApp({
  ...appTarget,
  env: { ...appEnv, ...(split ? { PROCESS_ROLE: 'api' } : {}) },
  ...(cpuProfDir === undefined ? {} : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] }),
});
const worker = split ? await startApp({ ...appTarget, env: { ...appEnv, PROCESS_ROLE: 'worker' } }) : null;
startTimes.seededStartMs = app.startMs;
const idleRssMiB = rssOf(app.pid)?.rssMiB ?? 0;
log(`app on ${app.url} (pid ${app.pid}) ready in ${app.startMs.toFixed(0)} ms, RSS ${idleRssMiB.toFixed(0)} MiB`);
// PostgreSQL: CPU counted for the bench's own cluster only, the WAL read around each run, and the
// limit baseline (hand-written SQL) through pg and through a bare Fastify route.
const probe = 'databaseUrl' in target ? new pg.Client({ connectionString: target.databaseUrl }) : null;
let walSettings: LimitReport['walSettings'] = null;
let limitServer: Server | null = null;
if (probe !== null && 'databaseUrl' in target) {
  await probe.connect();
  const [backend] = (await probe.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
  setPostgresRoot(backend === undefined ? null : parentPid(backend.pid));
  setWalProbe(async () => BigInt((await probe.query<{ b: string }>(`select (pg_current_wal_lsn() - '0/0')::text as b`)).rows[0]?.b ?? '0'));
  walSettings = await readWalSettings(probe);
  limitServer = await startLimitServer(target.databaseUrl);
  log(`limit baseline (Fastify) on ${limitServer.url}`);
}
// The worker delivers what is due from before (and runs its first sweeps), then waits paused.
if (worker !== null && probe !== null) {
  await relayRun(worker.pid, probe);
  log(`worker on ${worker.url} (pid ${worker.pid}), paused between runs`);
}
/**
 * A read's limit must answer what the app answers, byte for byte: a smaller or different document
 * would cost the limit less to build, serialize and send, and the ratio would measure that. Writes
 * answer with ids of their own, so only reads are compared.
 */
async function assertSameAnswer(appUrl: string, mine: Scenario, limitUrl: string, limit: Scenario): Promise<void> {
  const answer = async (url: string, s: Scenario) => {
    const request = s.request({});
    if (request.method !== 'GET') return null;
    const response = await fetch(`${url}${request.path ?? ''}`, { headers: (request.headers ?? {}) as Record<string, string> });
    return `${response.status} ${await response.text()}`;
  };
  const [a, b] = [await answer(appUrl, mine), await answer(limitUrl, limit)];
  if (a === null || b === null || a === b) return;
  let at = 0;
  while (at < a.length && a[at] === b[at]) at += 1;
  throw new Error(`${mine.name}: the limit baseline answers differently from the app, from character ${at}:\n  app:   ${a.slice(Math.max(0, at - 80), at + 120)}\n  limit: ${b.slice(Math.max(0, at - 80), at + 120)}`);
}

const limitPg = 'databaseUrl' in target ? limitWork(fixtures, fixtures.limit.pg) : [];
const limitHttp = 'databaseUrl' in target ? limitWork(fixtures, fixtures.limit.http) : [];
const limitResults: ScenarioResult[] = [];
const results: ScenarioResult[] = [];
const baselineResults: ScenarioResult[] = [];
let peakRssMiB = idleRssMiB;
let baselineRss = 0;
let fanOut: FanOutResult | null = null;
let overload: OverloadResult | null = null;
try {
  const bases = new Map(baselineScenarios(fixtures).map((s) => [s.name.replace('baseline', 'customers.list'), s]));
  for (const scenario of appScenarios(fixtures, app.url)) {
    if (!selected(scenario.name)) continue;
    log(`${scenario.name}…`);
    const base = bases.get(scenario.name);
    const viaPg = limitPg.find((w) => w.name === scenario.name);
    const viaHttp = limitHttp.find((w) => w.name === scenario.name);
    const contenders: Contender[] = [
      {
        meta: scenario,
        measure: (s) =>
          probe === null || worker === null ? measureOnce(app.url, app.pid, scenario, s) : measureOnceThen(app.url, app.pid, scenario, s, () => relayRun(worker.pid, probe)),
      },
    ];
    if (base !== undefined && baseline !== null) contenders.push({ meta: base, measure: (s) => measureOnce(baseline.url, baseline.pid, base, s) });
    const loop = viaPg !== undefined && 'databaseUrl' in target ? await loopContender(target.databaseUrl, viaPg) : null;
    if (loop !== null) contenders.push(loop);
    if (viaHttp !== undefined && limitServer !== null) {
      const server = limitServer;
      const http = { ...viaHttp.http, name: `limit (Fastify) ${viaHttp.name}`, description: `bare Fastify route, pool of 10 — ${viaHttp.description}` };
      await assertSameAnswer(app.url, scenario, server.url, viaHttp.http);
      contenders.push({ meta: http, measure: (s) => measureOnce(server.url, server.pid, http, s) });
    }
    if (contenders.length > 1) {
      try {
        // Each measured run starts at a checkpoint: the first change to a page after one writes the
        // whole page to the WAL, and a checkpoint that began during one contender's run (every
        // ~500 MB of WAL here) billed those images to it alone.
        const checkpoint =
          probe === null
            ? undefined
            : async () => {
                await probe.query('checkpoint').catch((error: unknown) => log(`  (no checkpoint before the run: ${error instanceof Error ? error.message : String(error)})`));
              };
        const [mine, ...others] = await runAlternating(contenders, settings, log, checkpoint);
        if (mine !== undefined) results.push(mine);
        for (const other of others) (other.name.startsWith('baseline') ? baselineResults : limitResults).push(other);
      } finally {
        await loop?.close();
      }
    } else {
      results.push(await runScenario({ url: app.url, pid: app.pid }, scenario, settings, log));
    }
  }
  // Overload and fan-out measure the whole deployment at work: the worker runs with the app.
  if (worker !== null) resumeProcess(worker.pid);
  if (selected('overload')) {
    log('overload…');
    overload = await runOverload(app.url, app.pid, fixtures, { ...defaultOverload, seconds: Number(values['overload-seconds']), warmupSeconds: settings.warmupSeconds }, boundEnv, log);
  }
  // Last: its endpoints would otherwise receive the other scenarios' events.
  if (selected('webhooks.fanout')) {
    log('webhooks.fanout…');
    fanOut = await runFanOut(app.url, app.pid, fixtures, { ...defaultFanOut, rate: Number(values['fanout-rate']), seconds: Number(values['fanout-seconds']) }, log);
  }
  peakRssMiB = rssOf(app.pid)?.peakMiB ?? peakRssMiB;
  baselineRss = baseline === null ? 0 : (rssOf(baseline.pid)?.peakMiB ?? 0);
} finally {
  if (worker !== null) resumeProcess(worker.pid);
  await worker?.stop();
  await app.stop();
  await baseline?.stop();
  await limitServer?.stop();
  if (probe !== null) {
    const parked = await cleanUpLimit(probe);
    if (parked > 0) log(`removed the limit baseline's ${parked} parked outbox rows`);
    if (walSettings !== null) walSettings.checkpointsAfter = (await readWalSettings(probe)).checkpointsBefore;
    await probe.end();
  }
  if (baselineDir !== null) rmSync(baselineDir, { recursive: true, force: true });
}

const partial: Omit<BenchReport, 'targets'> = {
  date,
  db,
  profile,
  machine: {
    cpus: cpus().length,
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    loadBefore,
    loadAfter: loadavg(),
    note: 'The machine is shared: another test suite may run at the same time, so figures are noisy; the load averages show how busy it was.',
  },
  settings,
  data: fixtures.data,
  fixtures: {
    largeReseller: fixtures.large.customers,
    smallReseller: fixtures.small.customers,
    deepOffset: fixtures.large.deepOffset,
    invitations: fixtures.invitations.length,
    orderCustomers: fixtures.orders.length,
    patchSubscriptions: fixtures.patches.length,
  },
  app: { idleRssMiB, peakRssMiB, startTimes },
  scenarios: results,
  baseline: { scenarios: baselineResults, rawPagesPerSecond, rssMiB: baselineRss },
  limit: limitResults.length === 0 ? null : { scenarios: limitResults, walSettings, comparison: limitComparisons({ scenarios: results, limit: { scenarios: limitResults, walSettings } }) },
  fanOut,
  overload,
  notes: values.notes === undefined ? null : readFileSync(values.notes, 'utf8'),
};
const report: BenchReport = { ...partial, targets: evaluateTargets(partial, db === 'postgres' && profile !== 'small' ? latestResult(values.out, 'postgres', 'small') : null) };
const markdown = renderMarkdown(report);
const partialName = values['partial-report'];
if (only === null || partialName !== undefined) {
  mkdirSync(values.out, { recursive: true });
  const base = path.join(values.out, `${date}-${db}-${profile}${only === null || partialName === undefined ? '' : `-${partialName}`}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  log(`wrote ${base}.md and .json`);
}
process.stdout.write(markdown);

/** What decides the WAL per request besides the rows: full-page images after each checkpoint. */
async function readWalSettings(client: pg.Client): Promise<NonNullable<LimitReport['walSettings']>> {
  const setting = async (name: string) => (await client.query<{ s: string }>('select current_setting($1) as s', [name])).rows[0]?.s ?? '';
  const [row] = (await client.query<{ n: string }>('select (checkpoints_timed + checkpoints_req)::text as n from pg_stat_bgwriter')).rows;
  return {
    checkpointTimeout: await setting('checkpoint_timeout'),
    maxWalSize: await setting('max_wal_size'),
    fullPageWrites: await setting('full_page_writes'),
    checkpointsBefore: Number(row?.n ?? 0),
    checkpointsAfter: null,
  };
}

/**
 * Waits (30 s at most) until the relay has handled every message due: the outbox rows a run wrote
 * are relayed in the background, and that work belongs to the run. The limit's rows are parked
 * (never due) and are not waited for.
 */
async function outboxSettled(client: pg.Client): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [row] = (await client.query<{ n: number }>(`select count(*)::int as n from outbox_messages where state = 'pending' and next_attempt_at <= now()`)).rows;
    if ((row?.n ?? 0) === 0 || Date.now() - started > 30_000) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Lets the paused worker deliver what a run left due, then pauses it again (SIGSTOP, once nothing
 * is due and the database is quiet: it then holds no transaction open); its CPU meanwhile is the relay's.
 */
async function relayRun(pid: number, client: pg.Client): Promise<{ workerCpuMs: number }> {
  const before = cpuMsOf(pid);
  resumeProcess(pid);
  await outboxSettled(client);
  await databaseQuiet(client);
  pauseProcess(pid);
  return { workerCpuMs: cpuMsOf(pid) - before };
}

/**
 * Waits (10 s at most) until no other session of the database is running a statement or holding a
 * transaction open: the worker's last poll or sweep has ended (the app and the limit server are
 * idle between runs).
 */
async function databaseQuiet(client: pg.Client): Promise<void> {
  const started = Date.now();
  for (;;) {
    const [row] = (
      await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state is not null and state <> 'idle'`,
      )
    ).rows;
    if ((row?.n ?? 0) === 0 || Date.now() - started > 10_000) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pauseProcess(pid: number): void {
  process.kill(pid, 'SIGSTOP');
}

function resumeProcess(pid: number): void {
  process.kill(pid, 'SIGCONT');
}

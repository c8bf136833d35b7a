import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FanOutResult } from './fan-out.ts';
import type { OverloadPhase, OverloadResult } from './overload.ts';
import type { ScenarioResult } from './scenarios.ts';

export interface StartTimes {
  /** Spawn → /readyz 200 on an empty data directory (migrations, then demo data after listening). */
  firstStartMs: number[];
  /** The same, reopening that directory. */
  restartMs: number[];
  /** The benchmarked app on the seeded database. */
  seededStartMs: number;
}

export interface BenchReport {
  date: string;
  db: 'postgres' | 'pglite';
  profile: string;
  machine: { cpus: number; memoryGiB: number; node: string; loadBefore: number[]; loadAfter: number[]; note: string };
  settings: { seconds: number; warmupSeconds: number; repetitions: number };
  data: Record<string, number>;
  fixtures: { largeReseller: number; smallReseller: number; deepOffset: number; invitations: number; orderCustomers: number; patchSubscriptions: number };
  app: { idleRssMiB: number; peakRssMiB: number; startTimes: StartTimes };
  scenarios: ScenarioResult[];
  baseline: { scenarios: ScenarioResult[]; rawPagesPerSecond: number | null; rssMiB: number };
  /** webhooks.fanout (reports written before it existed have none). */
  fanOut?: FanOutResult | null;
  /** overload (reports written before it existed have none). */
  overload?: OverloadResult | null;
  /** The limit baseline (PostgreSQL; reports written before it existed have none). */
  limit?: LimitReport | null;
  targets: Target[];
  notes: string | null;
}

export interface LimitReport {
  /** `limit (pg) <scenario>` and `limit (Fastify) <scenario>`. */
  scenarios: ScenarioResult[];
  walSettings: { checkpointTimeout: string; maxWalSize: string; fullPageWrites: string; checkpointsBefore: number; checkpointsAfter: number | null } | null;
  /** Per scenario: `limitRatio`, `pgCpuRatio`, WAL and cores busy (computed from the runs; stored for readers of the JSON). */
  comparison?: LimitComparison[];
}

/** Per scenario: the app against the limit baseline (medians of the alternating runs). */
export interface LimitComparison {
  name: string;
  connections: number;
  appRequestsPerSecond: number;
  limitPgRequestsPerSecond: number | null;
  limitFastifyRequestsPerSecond: number | null;
  /** App req/s ÷ the limit's through bare Fastify. */
  limitRatio: number | null;
  /** PostgreSQL CPU per request, µs: the app, the limit through Fastify, the limit through pg. */
  appPgCpuUs: number;
  limitPgCpuUs: number | null;
  limitLoopPgCpuUs: number | null;
  /**
   * App PostgreSQL CPU per request ÷ the limit's (through Fastify): the request path against the
   * same work by hand (the limit writes the audit and outbox rows too, and delivers nothing).
   */
  pgCpuRatio: number | null;
  /** The outbox relay's PostgreSQL CPU per request, delivering the run's messages after it (null: not measured apart). */
  appRelayPgCpuUs: number | null;
  /** (Request path + relay) ÷ the limit: what the app's database spends per write in all, messages delivered. */
  pgCpuRatioWithRelay: number | null;
  /**
   * PostgreSQL's background processes (autovacuum above all) per request during the runs, µs: not
   * in the ratios, as they land in whichever run is under way (see `meterPostgresCpu`).
   */
  backgroundPgCpuUs: { app: number | null; limitFastify: number | null };
  /** WAL bytes per request (`appRelay`: the relay's, after the run). */
  walBytes: { app: number | null; appRelay: number | null; limitPg: number | null; limitFastify: number | null };
  /**
   * Cores the run kept busy (CPU per request of server or driver + PostgreSQL + load generator,
   * times req/s): near 2, the figure is this machine's CPU limit, not the software's.
   */
  coresBusy: { app: number; limitPg: number | null; limitFastify: number | null };
}

/** The cores a run kept busy (of the 2 this machine has). */
const coresOf = (s: ScenarioResult) => ((s.median.serverCpuUs + s.median.postgresCpuUs + s.median.loadCpuUs) * s.median.requestsPerSecond) / 1e6;

export function limitComparisons(report: Pick<BenchReport, 'scenarios' | 'limit'>): LimitComparison[] {
  const limits = report.limit?.scenarios ?? [];
  return report.scenarios.flatMap((app): LimitComparison[] => {
    const viaPg = limits.find((l) => l.name === `limit (pg) ${app.name}`);
    const viaHttp = limits.find((l) => l.name === `limit (Fastify) ${app.name}`);
    if (viaPg === undefined && viaHttp === undefined) return [];
    const rate = (s: ScenarioResult | undefined) => (s === undefined ? null : s.median.requestsPerSecond);
    const limitRate = rate(viaHttp);
    const limitCpu = viaHttp === undefined ? null : viaHttp.median.postgresCpuUs;
    const relay = app.median.relay;
    return [{
      name: app.name,
      connections: app.connections,
      appRequestsPerSecond: app.median.requestsPerSecond,
      limitPgRequestsPerSecond: rate(viaPg),
      limitFastifyRequestsPerSecond: limitRate,
      limitRatio: limitRate === null || limitRate === 0 ? null : app.median.requestsPerSecond / limitRate,
      appPgCpuUs: app.median.postgresCpuUs,
      limitPgCpuUs: limitCpu,
      limitLoopPgCpuUs: viaPg === undefined ? null : viaPg.median.postgresCpuUs,
      pgCpuRatio: limitCpu === null || limitCpu === 0 ? null : app.median.postgresCpuUs / limitCpu,
      appRelayPgCpuUs: relay?.postgresCpuUs ?? null,
      pgCpuRatioWithRelay: limitCpu === null || limitCpu === 0 || relay === undefined ? null : (app.median.postgresCpuUs + relay.postgresCpuUs) / limitCpu,
      backgroundPgCpuUs: { app: app.median.postgresBackgroundCpuUs ?? null, limitFastify: viaHttp?.median.postgresBackgroundCpuUs ?? null },
      walBytes: { app: app.median.walBytes ?? null, appRelay: relay?.walBytes ?? null, limitPg: viaPg?.median.walBytes ?? null, limitFastify: viaHttp?.median.walBytes ?? null },
      coresBusy: { app: coresOf(app), limitPg: viaPg === undefined ? null : coresOf(viaPg), limitFastify: viaHttp === undefined ? null : coresOf(viaHttp) },
    }];
  });
}

/** The issue's targets against the limit baseline. */
function limitTargets(report: Pick<BenchReport, 'scenarios' | 'limit'>): Target[] {
  const targets: Target[] = [];
  const writes = new Set(['orders.create', 'invitations.accept', 'subscriptions.patch']);
  for (const c of limitComparisons(report)) {
    const pageOrWrite = c.name.startsWith('customers.list') || writes.has(c.name);
    if (pageOrWrite && c.pgCpuRatio !== null) {
      targets.push({
        target: `${c.name}: PostgreSQL CPU per request ≤ 1.3 × the limit baseline's (pgCpuRatio)`,
        measured:
          `${fmt(c.appPgCpuUs)} vs ${fmt(c.limitPgCpuUs ?? Number.NaN)} µs = ${fmt(c.pgCpuRatio, 2)}×` +
          // A read queues no message: its relay figure is 0 and says nothing.
          (c.appRelayPgCpuUs === null || c.appRelayPgCpuUs === 0 ? '' : `; with the relay's delivery (+${fmt(c.appRelayPgCpuUs)} µs) ${fmt(c.pgCpuRatioWithRelay ?? Number.NaN, 2)}×`),
        status: check(c.pgCpuRatio <= 1.3),
      });
    }
    if (c.limitRatio === null) continue;
    const measured = `${fmt(c.appRequestsPerSecond)} vs ${fmt(c.limitFastifyRequestsPerSecond ?? Number.NaN)} req/s = ${pct(c.limitRatio)} (limitRatio)`;
    if (c.name.startsWith('customers.list')) {
      targets.push({ target: `${c.name}: ≥ 85 % of the limit baseline's req/s through bare Fastify`, measured, status: check(c.limitRatio >= 0.85) });
    } else if (writes.has(c.name)) {
      targets.push({ target: `${c.name}: ≥ 60 % of the limit baseline's rate (${c.connections} connections)`, measured, status: check(c.limitRatio >= 0.6) });
    }
  }
  return targets;
}

export interface Target {
  target: string;
  measured: string;
  status: 'pass' | 'miss' | 'not measured';
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pct = (n: number) => `${fmt(n * 100, 1)} %`;

export function scenario(report: Pick<BenchReport, 'scenarios'>, name: string): ScenarioResult | undefined {
  return report.scenarios.find((s) => s.name === name);
}

/** The most recent committed result for `db`/`profile`, for cross-run comparisons. */
export function latestResult(dir: string, db: string, profile: string): { file: string; report: BenchReport } | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(`-${db}-${profile}.json`))
    .sort();
  const file = files[files.length - 1];
  return file === undefined ? null : { file, report: JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as BenchReport };
}

const check = (ok: boolean): Target['status'] => (ok ? 'pass' : 'miss');

export function evaluateTargets(report: Omit<BenchReport, 'targets'>, smallRun: { file: string; report: BenchReport } | null): Target[] {
  const targets: Target[] = [];
  const baselineOf = (key: string) => report.baseline.scenarios.find((s) => s.name === `baseline ${key}`);
  if (report.db === 'postgres') {
    for (const key of ['large-first', 'large-deep', 'small-first']) {
      const app = scenario(report, `customers.list ${key}`);
      const base = baselineOf(key);
      if (app === undefined || base === undefined) continue;
      const ratio = app.median.requestsPerSecond / base.median.requestsPerSecond;
      targets.push({
        target: `customers.list ${key}: ≥ 85 % of the bare baseline's req/s (10 connections)`,
        measured: `${fmt(app.median.requestsPerSecond)} vs ${fmt(base.median.requestsPerSecond)} req/s = ${pct(ratio)}`,
        status: check(ratio >= 0.85),
      });
      targets.push({ target: `customers.list ${key}: p99 ≤ 10 ms`, measured: `${fmt(app.median.p99Ms)} ms`, status: check(app.median.p99Ms <= 10) });
    }
    const large = scenario(report, 'customers.list large-first');
    const small = smallRun === null ? undefined : scenario(smallRun.report, 'customers.list large-first');
    if (report.profile !== 'small' && large !== undefined) targets.push(
      large === undefined || small === undefined || smallRun === null
        ? { target: `customers.list p50 at ${report.profile} ≤ 1.2 × p50 at small (10k customers)`, measured: 'no PostgreSQL small result to compare with', status: 'not measured' }
        : {
            target: `customers.list p50 at ${report.profile} ≤ 1.2 × p50 at small (10k customers), largest reseller's first page`,
            measured: `${fmt(large.median.p50Ms, 1)} ms vs ${fmt(small.median.p50Ms, 1)} ms (${smallRun.file}) = ${fmt(large.median.p50Ms / Math.max(small.median.p50Ms, 0.001), 2)}×`,
            status: check(large.median.p50Ms <= 1.2 * Math.max(small.median.p50Ms, 1)),
          },
    );
    for (const name of ['invitations.accept', 'orders.create']) {
      const s = scenario(report, name);
      if (s === undefined) continue;
      targets.push({
        target: `${name}: ≥ 1000 req/s with 16 connections`,
        measured: `${fmt(s.median.requestsPerSecond)} req/s (non-2xx ${s.non2xx})`,
        status: check(s.median.requestsPerSecond >= 1000 && s.non2xx === 0),
      });
    }
  } else {
    const { firstStartMs, restartMs } = report.app.startTimes;
    const first = median(firstStartMs);
    const again = median(restartMs);
    // --skip-start-times: not measured in this run.
    const timed = (ms: number, n: number, bound: number): Pick<Target, 'measured' | 'status'> =>
      n === 0 ? { measured: 'not measured in this run (--skip-start-times)', status: 'not measured' } : { measured: `${fmt(ms)} ms (median of ${n})`, status: check(ms <= bound) };
    targets.push({ target: 'first start ≤ 3 s (empty data directory → /readyz answers)', ...timed(first, firstStartMs.length, 3000) });
    targets.push({ target: 'restart ≤ 1 s (same directory)', ...timed(again, restartMs.length, 1000) });
    const list = scenario(report, 'customers.list large-first');
    const raw = report.baseline.rawPagesPerSecond;
    if (list !== undefined && raw !== null) {
      const ratio = list.median.requestsPerSecond / raw;
      targets.push({
        target: 'customers.list ≥ 80 % of the raw PGlite query rate (same SQL, no HTTP)',
        measured: `${fmt(list.median.requestsPerSecond)} req/s vs ${fmt(raw)} pages/s = ${pct(ratio)}`,
        status: check(ratio >= 0.8),
      });
    }
  }
  for (const s of report.scenarios.filter((x) => x.name.startsWith('dashboards.'))) {
    targets.push({ target: `${s.name}: p50 ≤ 50 ms (${s.connections} connections)`, measured: `p50 ${fmt(s.median.p50Ms, 1)} ms, p99 ${fmt(s.median.p99Ms, 1)} ms, ${fmt(s.median.requestsPerSecond)} req/s (non-2xx ${s.non2xx})`, status: check(s.median.p50Ms <= 50 && s.non2xx === 0) });
  }
  if (report.limit !== undefined && report.limit !== null) targets.push(...limitTargets(report));
  if (report.overload !== undefined && report.overload !== null) targets.push(...overloadTargets(report.overload));
  if (report.fanOut !== undefined && report.fanOut !== null) {
    const f = report.fanOut;
    targets.push({
      target: 'webhooks.fanout: p50 from commit to receipt ≤ 1 s (10 endpoints, idle machine)',
      measured: `p50 ${fmt(f.latencyMs.p50)} ms, p99 ${fmt(f.latencyMs.p99)} ms; ${f.acknowledged} of ${f.expectedMessages} messages`,
      status: check(f.latencyMs.p50 <= 1000 && f.acknowledged === f.expectedMessages),
    });
  }
  return targets;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function renderMarkdown(report: BenchReport): string {
  const baselineOf = (name: string) => report.baseline.scenarios.find((b) => b.name === name.replace('customers.list', 'baseline'));
  const lines: string[] = [];
  lines.push(`# Benchmark: ${report.db === 'postgres' ? 'PostgreSQL' : 'PGlite'}, profile \`${report.profile}\` — ${report.date}`, '');
  lines.push(
    `Machine: ${report.machine.cpus} cores, ${fmt(report.machine.memoryGiB)} GiB, Node ${report.machine.node}. ${report.machine.note} ` +
      `Load average before ${report.machine.loadBefore.map((n) => fmt(n, 1)).join(' / ')}, after ${report.machine.loadAfter.map((n) => fmt(n, 1)).join(' / ')}.`,
    '',
  );
  lines.push(
    `Method: the real app (the bundle \`apps/server/dist/main.mjs\`, as \`npm start\` runs it, logger at \`warn\`) in its own process on loopback; autocannon in the runner process; ` +
      `per scenario a ${report.settings.warmupSeconds} s warm-up, then ${report.settings.repetitions} runs of ${report.settings.seconds} s; figures are medians of the runs. ` +
      `Each customers.list run alternates with a run of the bare baseline (running beside the app, on a copy of the data for PGlite), so that both meet the same background load. ` +
      `Regenerate with \`npm run bench -- --db ${report.db} --profile ${report.profile}\`.`,
    '',
  );
  lines.push('## Targets', '', '| target | measured | result |', '| --- | --- | --- |');
  for (const t of report.targets) lines.push(`| ${t.target} | ${t.measured} | **${t.status}** |`);
  lines.push('', '## Scenarios', '');
  lines.push('| scenario | conns | req/s | p50 ms | p99 ms | non-2xx | errors | ratio to baseline | max RSS MiB |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of report.scenarios) {
    const base = baselineOf(s.name);
    const ratio = base === undefined ? '' : pct(s.median.requestsPerSecond / base.median.requestsPerSecond);
    lines.push(
      `| ${s.name}${s.exhausted ? ' (inputs ran out)' : ''} | ${s.connections} | ${fmt(s.median.requestsPerSecond)} | ${fmt(s.median.p50Ms, 1)} | ${fmt(s.median.p99Ms, 1)} | ${s.non2xx} | ${s.errors} | ${ratio} | ${fmt(s.median.maxRssMiB)} |`,
    );
  }
  for (const s of report.baseline.scenarios) {
    lines.push(`| ${s.name} | ${s.connections} | ${fmt(s.median.requestsPerSecond)} | ${fmt(s.median.p50Ms, 1)} | ${fmt(s.median.p99Ms, 1)} | ${s.non2xx} | ${s.errors} | 100 % | ${fmt(s.median.maxRssMiB)} |`);
  }
  lines.push(
    '',
    '## CPU per request',
    '',
    'CPU time per answered request (medians of the runs), read from /proc: the server process, the PostgreSQL backends of the bench\'s cluster (on PGlite the database runs inside the server), and the load generator (autocannon in the runner); ' +
      'apart, PostgreSQL\'s background processes during the run (autovacuum, checkpointer, WAL writer: autovacuum starts when enough rows changed, whoever changed them, so it lands in whichever run is under way). ' +
      'CPU time is what a busy, shared machine distorts least; the last column is the rate the server side (server + PostgreSQL backends) would reach with both cores to itself.',
    '',
    '| scenario | server µs | PostgreSQL µs | PostgreSQL background µs | load generator µs | server-side ceiling on 2 cores, req/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of [...report.scenarios, ...report.baseline.scenarios, ...(report.limit?.scenarios ?? [])]) {
    const serverSide = s.median.serverCpuUs + s.median.postgresCpuUs;
    lines.push(
      `| ${s.name} | ${fmt(s.median.serverCpuUs)} | ${fmt(s.median.postgresCpuUs)} | ${s.median.postgresBackgroundCpuUs === undefined ? '' : fmt(s.median.postgresBackgroundCpuUs)} | ${fmt(s.median.loadCpuUs)} | ${serverSide > 0 ? fmt(2_000_000 / serverSide) : ''} |`,
    );    const relay = s.median.relay;
    if (relay !== undefined) {
      lines.push(`| ${s.name}: relay after the run (worker process) | ${fmt(relay.workerCpuUs)} | ${fmt(relay.postgresCpuUs)} | ${relay.postgresBackgroundCpuUs === undefined ? '' : fmt(relay.postgresBackgroundCpuUs)} | | |`);
    }
  }
  lines.push('', 'What each scenario sends:', '');
  const everyRun = [...report.scenarios, ...report.baseline.scenarios, ...(report.limit?.scenarios ?? [])];
  for (const s of everyRun) lines.push(`- \`${s.name}\`: ${s.description}`);
  lines.push('', 'Per-run figures (req/s, p50/p99 ms, non-2xx by status):', '');
  for (const s of everyRun) {
    const runs = s.repetitions.map((r) => `${fmt(r.requestsPerSecond)} (${fmt(r.p50Ms, 1)}/${fmt(r.p99Ms, 1)}${r.non2xx > 0 ? `, ${JSON.stringify(r.statusCodes)}` : ''})`);
    lines.push(`- ${s.name}: ${runs.join('; ')}`);
  }
  if (report.limit !== undefined && report.limit !== null) lines.push(...renderLimit(report, report.limit));
  if (report.fanOut !== undefined && report.fanOut !== null) lines.push(...renderFanOut(report.fanOut));
  if (report.overload !== undefined && report.overload !== null) lines.push(...renderOverload(report.overload));
  lines.push('', '## Memory and start', '');
  lines.push(`- App RSS: ${fmt(report.app.idleRssMiB)} MiB after start on the seeded database, ${fmt(report.app.peakRssMiB)} MiB peak over the whole run; bare baseline ${fmt(report.baseline.rssMiB)} MiB.`);
  const st = report.app.startTimes;
  if (st.firstStartMs.length > 0) {
    lines.push(`- First start on an empty data directory (spawn → /readyz): ${st.firstStartMs.map((n) => fmt(n)).join(', ')} ms; restart on it: ${st.restartMs.map((n) => fmt(n)).join(', ')} ms.`);
  }
  lines.push(`- Start on the seeded database (spawn → /readyz): ${fmt(st.seededStartMs)} ms.`);
  if (report.baseline.rawPagesPerSecond !== null) lines.push(`- Raw query rate (the page's two statements, no HTTP, large reseller first page): ${fmt(report.baseline.rawPagesPerSecond)} pages/s.`);
  lines.push('', '## Data', '');
  lines.push(`Largest reseller: ${report.fixtures.largeReseller} customers; smallest: ${report.fixtures.smallReseller}. Deep page starts at row ${report.fixtures.deepOffset}. ` +
    `Prepared for the writes: ${report.fixtures.invitations} pending invitations with signed-in invitees, ${report.fixtures.orderCustomers} joint customers to order for, ${report.fixtures.patchSubscriptions} subscriptions to patch.`, '');
  lines.push('| table | rows |', '| --- | ---: |');
  for (const [table, count] of Object.entries(report.data)) lines.push(`| ${table} | ${count} |`);
  if (report.notes !== null) lines.push('', report.notes.trim());
  lines.push('');
  return lines.join('\n');
}

/** The issue's overload targets: no timeouts, only 2xx or 503 + Retry-After, 2xx p99 ≤ 2× at 10 connections, /healthz p99 ≤ 50 ms. */
function overloadTargets(o: OverloadResult): Target[] {
  const load = o.overload;
  const ref = o.reference;
  const others = Object.values(load.statuses.other).reduce((n, c) => n + c, 0);
  const ratio = load.ok.p99 / ref.ok.p99;
  return [
    { target: `overload: 0 timeouts (${load.connections} connections, ${load.seconds} s)`, measured: `${load.timeouts} timeouts, ${load.errors} errors`, status: check(load.timeouts === 0) },
    {
      target: 'overload: every answer a 2xx or a 503 with Retry-After',
      measured: `2xx ${load.statuses.ok}, 503 + Retry-After ${load.statuses.shedWithRetryAfter}, other ${others === 0 ? 0 : JSON.stringify(load.statuses.other)}`,
      status: check(others === 0 && load.errors === 0),
    },
    {
      target: `overload: p99 of the 2xx answers ≤ 2 × their p99 at ${ref.connections} connections`,
      measured: `${fmt(load.ok.p99, 1)} ms vs ${fmt(ref.ok.p99, 1)} ms = ${fmt(ratio, 2)}×`,
      status: check(ratio <= 2),
    },
    {
      target: 'overload: /healthz p99 ≤ 50 ms during the run',
      measured: `${fmt(load.health.p99, 1)} ms (p50 ${fmt(load.health.p50, 1)}, max ${fmt(load.health.max, 1)}, ${load.health.count} probes, ${load.health.failures} failed)`,
      status: check(load.health.p99 <= 50 && load.health.failures === 0),
    },
  ];
}

function renderOverload(o: OverloadResult): string[] {
  const env = Object.entries(o.serverEnv).map(([k, v]) => `${k}=${v}`).join(', ');
  const row = (label: string, p: OverloadPhase) =>
    `| ${label} | ${p.connections} | ${p.requests} | ${p.statuses.ok} | ${fmt(p.okPerSecond)} | ${fmt(p.ok.p50, 1)} | ${fmt(p.ok.p99, 1)} | ${p.statuses.shedWithRetryAfter} | ` +
    `${Object.keys(p.statuses.other).length === 0 ? 0 : JSON.stringify(p.statuses.other)} | ${p.timeouts} | ${fmt(p.health.p50, 1)} | ${fmt(p.health.p99, 1)} | ${fmt(p.health.max, 1)} | ${fmt(p.eventLoopLag.p99, 1)} / ${fmt(p.eventLoopLag.max, 1)} |`;
  return [
    '',
    '## Overload',
    '',
    `\`${o.name}\`: ${o.description}. The server's bound: ${env === '' ? 'its defaults' : env}. Latencies of the 2xx answers only; the 503s are counted apart.`,
    '',
    '| phase | conns | requests | 2xx | 2xx/s | 2xx p50 ms | 2xx p99 ms | 503 + Retry-After | other | timeouts | /healthz p50 ms | /healthz p99 ms | /healthz max ms | event-loop delay p99 / max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    row('reference', o.reference),
    row('overload', o.overload),
    '',
    `The probe alone, before the load (no other request): /healthz p50 ${fmt(o.idleHealth.p50, 1)} ms, p99 ${fmt(o.idleHealth.p99, 1)} ms, max ${fmt(o.idleHealth.max, 1)} ms of ${o.idleHealth.count} probes.`,
  ];
}

function renderLimit(report: BenchReport, limit: LimitReport): string[] {
  const opt = (n: number | null, digits = 0) => (n === null ? '' : fmt(n, digits));
  const lines = [
    '',
    '## Against the limit baseline',
    '',
    'The limit baseline is hand-written SQL doing the same work with the same durability (fsync\'d commits, the audit and outbox rows of a write) as named prepared statements with generic plans: ' +
      'driven straight through `pg` (as many clients as the scenario has connections, no HTTP) and through a bare Fastify route (pool of 10, no auth beyond naming the tenant, no ORM, no response schema); ' +
      'each run alternates with the app\'s. `limitRatio` = app req/s ÷ limit-through-Fastify req/s; `pgCpuRatio` = app PostgreSQL CPU per request ÷ the limit\'s (through Fastify). ' +
      'PostgreSQL CPU is that of the bench\'s own cluster\'s backends (the processes serving connections, read from /proc every 200 ms); its background processes (autovacuum, checkpointer, WAL writer, the postmaster) are counted apart, in the last column but one, and are in neither ratio: ' +
      'autovacuum starts when enough rows changed, whoever changed them, so it runs during whichever run is under way, app or limit. ' +
      'On PostgreSQL the app runs as an `api` process beside a `worker` process that is paused during each run and delivers the run\'s outbox messages after it: ' +
      '"app PG" is the request path, "relay PG" the delivery afterwards, both per request of the run; the limit writes the same outbox rows and delivers none, so `pgCpuRatio` compares the request path, and "with relay" adds the delivery.',
    '',
    '| scenario | conns | app req/s | limit (pg) req/s | limit (Fastify) req/s | limitRatio | app PG µs/req | relay PG µs/req | limit PG µs/req (Fastify / pg) | pgCpuRatio | with relay | WAL B/req app + relay / limit | background PG µs/req app / limit | cores busy app / pg / Fastify |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of limitComparisons(report)) {
    lines.push(
      `| ${c.name} | ${c.connections} | ${fmt(c.appRequestsPerSecond)} | ${opt(c.limitPgRequestsPerSecond)} | ${opt(c.limitFastifyRequestsPerSecond)} | ${c.limitRatio === null ? '' : pct(c.limitRatio)} | ` +
        `${fmt(c.appPgCpuUs)} | ${opt(c.appRelayPgCpuUs)} | ${opt(c.limitPgCpuUs)} / ${opt(c.limitLoopPgCpuUs)} | ${opt(c.pgCpuRatio, 2)} | ${opt(c.pgCpuRatioWithRelay, 2)} | ` +
        `${opt(c.walBytes.app)}${c.walBytes.appRelay === null ? '' : ` + ${fmt(c.walBytes.appRelay)}`} / ${opt(c.walBytes.limitFastify ?? c.walBytes.limitPg)} | ` +
        `${opt(c.backgroundPgCpuUs.app)} / ${opt(c.backgroundPgCpuUs.limitFastify)} | ` +
        `${fmt(c.coresBusy.app, 2)} / ${opt(c.coresBusy.limitPg, 2)} / ${opt(c.coresBusy.limitFastify, 2)} |`,
    );
  }
  const busy = limitComparisons(report).flatMap((c) => [
    ...(c.coresBusy.limitPg !== null && c.coresBusy.limitPg >= 1.6 ? [`${c.name} (limit through pg)`] : []),
    ...(c.coresBusy.limitFastify !== null && c.coresBusy.limitFastify >= 1.6 ? [`${c.name} (limit through Fastify)`] : []),
    ...(c.coresBusy.app >= 1.6 ? [`${c.name} (app)`] : []),
  ]);
  lines.push(
    '',
    `**Limits of the machine.** This machine has ${report.machine.cpus} cores shared with other work (load average ${report.machine.loadBefore.map((n) => fmt(n, 1)).join(' / ')} before, ` +
      `${report.machine.loadAfter.map((n) => fmt(n, 1)).join(' / ')} after). A run whose client, server and PostgreSQL CPU add up to 1.6 cores or more is bound by this machine's CPU: its req/s is this machine's ceiling, not the software's. ` +
      (busy.length === 0 ? 'No run reached that here: the rates are bound by latency (round trips, fsync\'d commits, waits on locks) or by the other work on the machine.' : `Runs at that bound here: ${busy.join(', ')}.`) +
      (Math.max(report.machine.loadBefore[0] ?? 0, report.machine.loadAfter[0] ?? 0) >= report.machine.cpus
        ? ` The machine was oversubscribed (a load average of ${report.machine.cpus} or more on ${report.machine.cpus} cores): every req/s here, the app's and the limit's alike, is bounded by the share of the cores this bench got, that is by the machine; the ratios within one run and the CPU per request are what speak of the software.`
        : '') +
      ' The PostgreSQL CPU per request is the figure a busy machine distorts least; the writes\' rates are also bound by commit flushes (fsync on), which CPU does not show.',
  );
  const w = limit.walSettings;
  if (w !== null) {
    lines.push(
      '',
      `**WAL.** Bytes of WAL per request from \`pg_current_wal_lsn()\` before and after each run. The first change to a page after a checkpoint writes the whole page (full_page_writes = ${w.fullPageWrites}; ` +
        `checkpoint_timeout = ${w.checkpointTimeout}, max_wal_size = ${w.maxWalSize}; ${w.checkpointsAfter === null ? '' : `${w.checkpointsAfter - w.checkpointsBefore} checkpoints completed during the bench`}), ` +
        'and random keys (the seeded rows\' UUID v4; new rows get time-ordered UUIDv7) touch more distinct pages, each a full-page image once per checkpoint. ' +
        'So that no run writes the images of pages another run changed first, every measured run of app and limit starts right after a CHECKPOINT, and each driver works on its own customers and subscriptions (disjoint thirds): ' +
        'each run pays for the pages it is first to change, as a busy production database does for most of its random writes.',
    );
  }
  return lines;
}

function renderFanOut(f: FanOutResult): string[] {
  return [
    '',
    '## Webhooks fan-out',
    '',
    `\`${f.name}\`: ${f.description}. The load is open-loop (at most 16 writes in flight); afterwards the deliveries get ${f.settings.drainSeconds} s at most to finish. ` +
      'Latency is from the event\'s `timestamp` (its change, just before COMMIT) to the receipt at the receiver.' +
      (f.outboxBefore === undefined
        ? ''
        : ` Before the load, the outbox had ${f.outboxBefore.pending} messages pending from the earlier scenarios; the scenario waited ${fmt(f.outboxBefore.waitedMs / 1000, 1)} s for them (${f.outboxBefore.pendingAtStart} left).`),
    '',
    '| writes ok / failed | messages expected | acknowledged | duplicates | messages/s | events/s | p50 ms | p90 ms | p99 ms | max ms | server µs / msg | PostgreSQL µs / msg |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${f.writes.ok} / ${f.writes.failed} | ${f.expectedMessages} | ${f.acknowledged} | ${f.duplicates} | ${fmt(f.messagesPerSecond)} | ${fmt(f.eventsPerSecond, 1)} | ` +
      `${fmt(f.latencyMs.p50)} | ${fmt(f.latencyMs.p90)} | ${fmt(f.latencyMs.p99)} | ${fmt(f.latencyMs.max)} | ${fmt(f.cpu.serverUs)} | ${fmt(f.cpu.postgresUs)} |`,
  ];
}

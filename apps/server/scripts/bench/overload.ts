import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import type { BenchFixtures } from './fixtures.ts';
import { cpuMsOf, healthUrlOf, postgresCpuMs } from './processes.ts';

/*
 * overload: the largest reseller's first customer page (GET /api/v1/customers?limit=50, API key)
 * with 10 connections (the reference), then with 200 for the same time, while a separate process
 * asks /healthz every 100 ms on a new connection each time, as a load balancer would: on the app's
 * health port (HEALTH_PORT, answered by a thread of its own) when it has one, which is where
 * orchestrators probe, and also on the main port, for comparison. Latencies of
 * the 2xx answers are kept apart from the refusals: a 503 answered at once would flatter a p99 of
 * everything. A timeout is autocannon's (10 s without an answer).
 */

export interface OverloadSettings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  referenceConnections: number;
  probeEveryMs: number;
}

export const defaultOverload: OverloadSettings = { seconds: 20, warmupSeconds: 3, connections: 200, referenceConnections: 10, probeEveryMs: 100 };

export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface OverloadPhase {
  connections: number;
  seconds: number;
  requests: number;
  timeouts: number;
  errors: number;
  /** 2xx answers, 503s that carried Retry-After, and everything else by status. */
  statuses: { ok: number; shedWithRetryAfter: number; other: Record<string, number> };
  /** 2xx answers per second. */
  okPerSecond: number;
  ok: Latencies;
  /** /healthz where the result's `healthUrl` says: the health port when the app has one. */
  health: Latencies & { failures: number };
  /** /healthz on the main port, which the event loop answers behind the requests' work (null: `health` is it). */
  mainPortHealth?: (Latencies & { failures: number }) | null;
  /** The server's event-loop delay over the phase (prom-client's, from /metrics, ms): what every answer, health included, waits behind. */
  eventLoopLag: { p50: number; p99: number; max: number };
  cpu: { serverMs: number; postgresMs: number };
}

export interface OverloadResult {
  name: 'overload';
  description: string;
  settings: OverloadSettings;
  /** The server's bound as the bench started it (its environment; empty: the defaults). */
  serverEnv: Record<string, string>;
  /** Where `health` was probed: the health port's origin, or the main port's. */
  healthUrl?: string;
  /** /healthz with no other load, for as long as a quarter phase: what the probe itself measures on this machine. */
  idleHealth: Latencies & { failures: number };
  reference: OverloadPhase;
  overload: OverloadPhase;
}

export function percentiles(values: number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN));
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/**
 * The health probe, in a process of its own so that autocannon's work in the runner does not
 * delay it: a GET every `everyMs` on a fresh connection until stdin closes; then it prints the
 * latencies (ms, -1 for a failure) as one JSON line.
 */
const probeSource = `
const http = require('node:http');
const [url, everyMs] = [process.argv[1], Number(process.argv[2])];
const out = [];
const timer = setInterval(() => {
  const started = performance.now();
  const req = http.get(url, { agent: false, timeout: 10000 }, (res) => {
    res.resume();
    res.on('end', () => out.push(res.statusCode === 200 ? performance.now() - started : -1));
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => out.push(-1));
}, everyMs);
process.stdin.resume();
process.stdin.on('end', () => { clearInterval(timer); setTimeout(() => { process.stdout.write(JSON.stringify(out) + '\\n'); process.exit(0); }, 500); });
`;

function startProbe(url: string, everyMs: number): () => Promise<number[]> {
  const child = spawn(process.execPath, ['-e', probeSource, `${url}/healthz`, String(everyMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const done = new Promise<number[]>((resolve, reject) => {
    child.once('exit', () => resolve(JSON.parse(text.trim() || '[]') as number[]));
    child.once('error', reject);
  });
  return () => {
    child.stdin.end();
    return done;
  };
}

/** Reads the server's event-loop delay from /metrics; prom-client resets it on every read, so a read before a phase starts it afresh. */
async function eventLoopLag(url: string): Promise<OverloadPhase['eventLoopLag']> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const ms = (name: string) => Number(new RegExp(`^nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
  return { p50: ms('p50'), p99: ms('p99'), max: ms('max') };
}

const healthOf = (probes: number[]): Latencies & { failures: number } => ({ ...percentiles(probes.filter((ms) => ms >= 0)), failures: probes.filter((ms) => ms < 0).length });

async function phase(url: string, healthUrl: string, pid: number, apiKey: string, connections: number, seconds: number, probeEveryMs: number): Promise<OverloadPhase> {
  await eventLoopLag(url);
  const stopProbe = startProbe(healthUrl, probeEveryMs);
  const stopMainProbe = healthUrl === url ? null : startProbe(url, probeEveryMs);
  const okLatencies: number[] = [];
  const statuses: OverloadPhase['statuses'] = { ok: 0, shedWithRetryAfter: 0, other: {} };
  const cpuBefore = { server: cpuMsOf(pid), postgres: postgresCpuMs() };
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        path: '/api/v1/customers?limit=50',
        headers: { authorization: `Bearer ${apiKey}` },
        onResponse: (status, _body, _context, headers) => {
          if (status >= 200 && status < 300) statuses.ok += 1;
          else if (status === 503 && headers?.['retry-after'] !== undefined) statuses.shedWithRetryAfter += 1;
          else statuses.other[String(status)] = (statuses.other[String(status)] ?? 0) + 1;
        },
      },
    ],
  }, (error, result) => (error === null || error === undefined ? finish(result) : fail(error)));
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status >= 200 && status < 300) okLatencies.push(responseTime);
  });
  const result = await finished;
  const cpu = { serverMs: cpuMsOf(pid) - cpuBefore.server, postgresMs: postgresCpuMs() - cpuBefore.postgres };
  const probes = await stopProbe();
  const mainProbes = stopMainProbe === null ? null : await stopMainProbe();
  const lag = await eventLoopLag(url);
  return {
    connections,
    seconds,
    requests: result.requests.total,
    timeouts: result.timeouts,
    errors: result.errors,
    statuses,
    okPerSecond: statuses.ok / seconds,
    ok: percentiles(okLatencies),
    health: healthOf(probes),
    mainPortHealth: mainProbes === null ? null : healthOf(mainProbes),
    eventLoopLag: lag,
    cpu,
  };
}

const describePhase = (label: string, p: OverloadPhase) =>
  `  overload ${label} (${p.connections} conns): ${p.requests} requests, 2xx ${p.statuses.ok} (p50 ${p.ok.p50.toFixed(1)} ms, p99 ${p.ok.p99.toFixed(1)} ms), ` +
  `503+Retry-After ${p.statuses.shedWithRetryAfter}, other ${JSON.stringify(p.statuses.other)}, timeouts ${p.timeouts}, errors ${p.errors}; ` +
  `/healthz p99 ${p.health.p99.toFixed(1)} ms of ${p.health.count} (failed ${p.health.failures})` +
  (p.mainPortHealth === null || p.mainPortHealth === undefined ? '' : `, on the main port ${p.mainPortHealth.p99.toFixed(1)} ms (failed ${p.mainPortHealth.failures})`) +
  `; event-loop delay p99 ${p.eventLoopLag.p99.toFixed(1)} ms, max ${p.eventLoopLag.max.toFixed(1)} ms`;

export async function runOverload(
  url: string,
  pid: number,
  fixtures: BenchFixtures,
  settings: OverloadSettings,
  serverEnv: Record<string, string>,
  log: (line: string) => void,
): Promise<OverloadResult> {
  const apiKey = fixtures.large.apiKey;
  const healthUrl = healthUrlOf(url) ?? url;
  const where = healthUrl === url ? 'the main port' : `the health port (${healthUrl}; also the main port)`;
  log(`  overload: /healthz probed on ${where}`);
  const stopIdleProbe = startProbe(healthUrl, settings.probeEveryMs);
  await new Promise((resolve) => setTimeout(resolve, (settings.seconds * 1000) / 4));
  const idle = await stopIdleProbe();
  const idleHealth = healthOf(idle);
  log(`  overload idle: /healthz p50 ${idleHealth.p50.toFixed(1)} ms, p99 ${idleHealth.p99.toFixed(1)} ms of ${idleHealth.count}`);
  if (settings.warmupSeconds > 0) await phase(url, healthUrl, pid, apiKey, settings.referenceConnections, settings.warmupSeconds, settings.probeEveryMs);
  const reference = await phase(url, healthUrl, pid, apiKey, settings.referenceConnections, settings.seconds, settings.probeEveryMs);
  log(describePhase('reference', reference));
  const overload = await phase(url, healthUrl, pid, apiKey, settings.connections, settings.seconds, settings.probeEveryMs);
  log(describePhase('load', overload));
  return {
    name: 'overload',
    description: `GET /api/v1/customers?limit=50 — the largest reseller (${fixtures.large.customers} customers), API key; ${settings.referenceConnections} connections, then ${settings.connections}, ${settings.seconds} s each; /healthz on ${where} every ${settings.probeEveryMs} ms from another process on a new connection each`,
    settings,
    serverEnv,
    healthUrl,
    idleHealth,
    reference,
    overload,
  };
}

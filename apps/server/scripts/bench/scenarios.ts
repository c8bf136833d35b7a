import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { BenchFixtures } from './fixtures.ts';
import { cpuMsOf, meterPostgresCpu, sampleRss } from './processes.ts';

export interface Repetition {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  maxRssMiB: number;
  /**
   * CPU per request, in µs: of the server process, of the PostgreSQL backends (the request path),
   * and of this runner (autocannon); and apart, of PostgreSQL's background processes during the
   * run (autovacuum above all: it starts when enough rows changed, whoever changed them, so it
   * lands in whichever run is under way). CPU time is what a busy, shared machine distorts least.
   */
  cpu: { serverUs: number; postgresUs: number; loadUs: number; postgresBackgroundUs: number };
  /**
   * The outbox relay's work after the run (PostgreSQL only: the app runs as an `api` process and
   * a separate `worker` process delivers the run's messages once it ended), per request of the
   * run: the worker's CPU, PostgreSQL's, and the WAL it wrote. Absent when the relay ran inside
   * the app (PGlite) or the scenario writes no messages to deliver.
   */
  relay?: { workerUs: number; postgresUs: number; postgresBackgroundUs: number; walBytes: number | null };
  /** WAL bytes written per request (pg_current_wal_lsn() before and after the run; PostgreSQL only). */
  walBytes?: number | null;
}

/** Reads the database's current WAL position in bytes; set by the runner on PostgreSQL. */
let walProbe: (() => Promise<bigint>) | null = null;

export function setWalProbe(probe: (() => Promise<bigint>) | null): void {
  walProbe = probe;
}

/** Counts what `measure` writes to the WAL; null without a probe. */
export async function walAround<T extends { requests: number }>(measure: () => Promise<T>): Promise<T & { walBytes: number | null }> {
  const before = walProbe === null ? null : await walProbe();
  const result = await measure();
  const after = walProbe === null || before === null ? null : await walProbe();
  return { ...result, walBytes: before === null || after === null || result.requests === 0 ? null : Number(after - before) / result.requests };
}

export interface ScenarioResult {
  name: string;
  description: string;
  connections: number;
  repetitions: Repetition[];
  median: { requestsPerSecond: number; p50Ms: number; p99Ms: number; maxRssMiB: number; serverCpuUs: number; postgresCpuUs: number; loadCpuUs: number;
    /** PostgreSQL's background processes during the runs (absent in reports made before they were counted apart). */
    postgresBackgroundCpuUs?: number; walBytes?: number | null;
    /** The outbox relay's work after the runs, per request (medians; see `Repetition.relay`). */
    relay?: { workerCpuUs: number; postgresCpuUs: number; postgresBackgroundCpuUs?: number; walBytes: number | null };
  };
  /** Summed over the measured repetitions (warm-up excluded). */
  non2xx: number;
  errors: number;
  /** Set when a scenario ran out of prepared inputs (each accept needs its own invitation). */
  exhausted: boolean;
}

/** One kind of request; `next()` builds each request so that writes never repeat an input. */
export interface Scenario {
  name: string;
  description: string;
  connections: number;
  /** `connection` is autocannon's per-connection context: one request in flight on each. */
  request: (connection: object) => autocannon.Request;
  onResponse?: (status: number, body: string, connection: object) => void;
  /** Runs between repetitions, when nothing is in flight. */
  afterRun?: () => Promise<void>;
  exhausted?: () => boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** One bounded autocannon run of `seconds`, sampling the server's RSS meanwhile (and the WAL written, on PostgreSQL). */
export function measureOnce(url: string, pid: number, scenario: Scenario, seconds: number): Promise<Repetition> {
  return walAround(() => measureHttp(url, pid, scenario, seconds));
}

/** The relay's work after a run: what its settling cost the worker and PostgreSQL, and the WAL it wrote. */
export type Settle = () => Promise<{ workerCpuMs: number }>;

/**
 * The same, then `settle()` (a worker process delivering the run's outbox messages, paused while
 * the run was measured): the request path's PostgreSQL CPU and WAL are counted during the run, the
 * relay's during the settling, each per request of the run, so that neither is billed to whoever
 * runs next and the two are reported apart.
 */
export async function measureOnceThen(url: string, pid: number, scenario: Scenario, seconds: number, settle: Settle): Promise<Repetition> {
  const rep = await measureOnce(url, pid, scenario, seconds);
  const walBefore = walProbe === null ? null : await walProbe();
  const stopMeter = meterPostgresCpu();
  const { workerCpuMs } = await settle();
  const postgres = stopMeter();
  const walAfter = walProbe === null || walBefore === null ? null : await walProbe();
  if (rep.requests === 0) return rep;
  const per = (ms: number) => (ms * 1000) / rep.requests;
  const walBytes = walBefore === null || walAfter === null ? null : Number(walAfter - walBefore) / rep.requests;
  return { ...rep, relay: { workerUs: per(workerCpuMs), postgresUs: per(postgres.backendsMs), postgresBackgroundUs: per(postgres.backgroundMs), walBytes } };
}

async function measureHttp(url: string, pid: number, scenario: Scenario, seconds: number): Promise<Repetition> {
  const stopSampling = sampleRss(pid);
  const cpuBefore = { server: cpuMsOf(pid), load: process.cpuUsage() };
  const stopMeter = meterPostgresCpu();
  const result = await autocannon({
    url,
    connections: scenario.connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (request, connection) => ({ ...request, ...scenario.request(connection) }),
        ...(scenario.onResponse === undefined ? {} : { onResponse: scenario.onResponse }),
      },
    ],
  });
  const perRequest = (ms: number) => (result.requests.total > 0 ? (ms * 1000) / result.requests.total : 0);
  const load = process.cpuUsage(cpuBefore.load);
  const postgres = stopMeter();
  const cpu = {
    serverUs: perRequest(cpuMsOf(pid) - cpuBefore.server),
    postgresUs: perRequest(postgres.backendsMs),
    loadUs: perRequest((load.user + load.system) / 1000),
    postgresBackgroundUs: perRequest(postgres.backgroundMs),
  };
  await scenario.afterRun?.();
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    maxRssMiB: stopSampling(),
    cpu,
  };
}

/** Medians of the relay's work after each run, when it was measured apart. */
function relayMedian(repetitions: Repetition[]): { relay?: { workerCpuUs: number; postgresCpuUs: number; postgresBackgroundCpuUs: number; walBytes: number | null } } {
  const relays = repetitions.flatMap((r) => (r.relay === undefined ? [] : [r.relay]));
  if (relays.length === 0) return {};
  const wal = relays.map((r) => r.walBytes).filter((w): w is number => w !== null);
  return {
    relay: {
      workerCpuUs: median(relays.map((r) => r.workerUs)),
      postgresCpuUs: median(relays.map((r) => r.postgresUs)),
      postgresBackgroundCpuUs: median(relays.map((r) => r.postgresBackgroundUs)),
      walBytes: wal.length === 0 ? null : median(wal),
    },
  };
}

export function summarize(scenario: Pick<Scenario, 'name' | 'description' | 'connections' | 'exhausted'>, repetitions: Repetition[]): ScenarioResult {
  const wal = repetitions.map((r) => r.walBytes).filter((w): w is number => typeof w === 'number');
  return {
    name: scenario.name,
    description: scenario.description,
    connections: scenario.connections,
    repetitions,
    median: {
      requestsPerSecond: median(repetitions.map((r) => r.requestsPerSecond)),
      p50Ms: median(repetitions.map((r) => r.p50Ms)),
      p99Ms: median(repetitions.map((r) => r.p99Ms)),
      maxRssMiB: Math.max(...repetitions.map((r) => r.maxRssMiB)),
      serverCpuUs: median(repetitions.map((r) => r.cpu.serverUs)),
      postgresCpuUs: median(repetitions.map((r) => r.cpu.postgresUs)),
      loadCpuUs: median(repetitions.map((r) => r.cpu.loadUs)),
      postgresBackgroundCpuUs: median(repetitions.map((r) => r.cpu.postgresBackgroundUs)),
      walBytes: wal.length === 0 ? null : median(wal),
      ...relayMedian(repetitions),
    },
    non2xx: repetitions.reduce((n, r) => n + r.non2xx, 0),
    errors: repetitions.reduce((n, r) => n + r.errors, 0),
    exhausted: scenario.exhausted?.() ?? false,
  };
}

export interface Target {
  url: string;
  pid: number;
}

interface RunOptions {
  seconds: number;
  warmupSeconds: number;
  repetitions: number;
}

export const describeRun = (name: string, i: number, rep: Repetition) =>
  `  ${name} #${i + 1}: ${rep.requestsPerSecond.toFixed(0)} req/s, p50 ${rep.p50Ms} ms, p99 ${rep.p99Ms} ms, non-2xx ${rep.non2xx}, errors ${rep.errors}, ${JSON.stringify(rep.statusCodes)}`;

/** A warm-up, then `repetitions` bounded runs of `seconds` each; medians across repetitions. */
export async function runScenario(target: Target, scenario: Scenario, options: RunOptions, log: (line: string) => void): Promise<ScenarioResult> {
  if (options.warmupSeconds > 0) await measureOnce(target.url, target.pid, scenario, options.warmupSeconds);
  const repetitions: Repetition[] = [];
  for (let i = 0; i < options.repetitions; i += 1) {
    const rep = await measureOnce(target.url, target.pid, scenario, options.seconds);
    repetitions.push(rep);
    log(describeRun(scenario.name, i, rep));
  }
  return summarize(scenario, repetitions);
}

/**
 * The app and the baseline in alternation (app run 1, baseline run 1, app run 2, …), so that both
 * meet the same background load on a shared machine and their ratio means something.
 */
export async function runPaired(
  app: Target & { scenario: Scenario },
  base: Target & { scenario: Scenario },
  options: RunOptions,
  log: (line: string) => void,
): Promise<[ScenarioResult, ScenarioResult]> {
  if (options.warmupSeconds > 0) {
    await measureOnce(app.url, app.pid, app.scenario, options.warmupSeconds);
    await measureOnce(base.url, base.pid, base.scenario, options.warmupSeconds);
  }
  const appRuns: Repetition[] = [];
  const baseRuns: Repetition[] = [];
  for (let i = 0; i < options.repetitions; i += 1) {
    const a = await measureOnce(app.url, app.pid, app.scenario, options.seconds);
    appRuns.push(a);
    log(describeRun(app.scenario.name, i, a));
    const b = await measureOnce(base.url, base.pid, base.scenario, options.seconds);
    baseRuns.push(b);
    log(describeRun(base.scenario.name, i, b));
  }
  return [summarize(app.scenario, appRuns), summarize(base.scenario, baseRuns)];
}

/** One contender of an alternating run: what it is, and one measured run of `seconds`. */
export interface Contender {
  meta: Pick<Scenario, 'name' | 'description' | 'connections' | 'exhausted'>;
  measure: (seconds: number) => Promise<Repetition>;
}

/**
 * Several contenders in alternation (run 1 of each, then run 2 of each, …) after a warm-up of each,
 * so that all meet the same background load on a shared machine: the app, the limit baseline
 * through `pg`, the limit baseline through Fastify. `beforeRun` (PostgreSQL: a CHECKPOINT) runs
 * before every measured run, outside it.
 */
export async function runAlternating(
  contenders: Contender[],
  options: RunOptions,
  log: (line: string) => void,
  beforeRun: () => Promise<void> = async () => undefined,
): Promise<ScenarioResult[]> {
  if (options.warmupSeconds > 0) for (const c of contenders) await c.measure(options.warmupSeconds);
  const runs = contenders.map((): Repetition[] => []);
  for (let i = 0; i < options.repetitions; i += 1) {
    for (const [k, c] of contenders.entries()) {
      await beforeRun();
      const rep = await c.measure(options.seconds);
      runs[k]?.push(rep);
      log(describeRun(c.meta.name, i, rep));
    }
  }
  return contenders.map((c, k) => summarize(c.meta, runs[k] ?? []));
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const json = { 'content-type': 'application/json' };

/** Round-robin over a list: many tenants, customers and subscriptions rather than one hot row. */
export function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => {
    const item = items[i % items.length];
    i += 1;
    if (item === undefined) throw new Error('empty fixture list');
    return item;
  };
}

/** The customers.list variants, shared by the app and the bare baseline. */
export function listVariants(f: BenchFixtures): { key: string; label: string; partnerId: string; apiKey: string; cursor: string | null }[] {
  return [
    { key: 'large-first', label: `large reseller (${f.large.customers} customers), first page`, partnerId: f.large.id, apiKey: f.large.apiKey, cursor: null },
    { key: 'large-deep', label: `large reseller, deep page (row ${f.large.deepOffset} via cursor)`, partnerId: f.large.id, apiKey: f.large.apiKey, cursor: f.large.deepCursor },
    { key: 'small-first', label: `small reseller (${f.small.customers} customers), first page`, partnerId: f.small.id, apiKey: f.small.apiKey, cursor: null },
  ];
}

type Patch = BenchFixtures['patches'][number];

/**
 * Subscriptions to patch with the ETag of their last answer. A request still in flight when a run
 * ends may or may not have been applied, so those subscriptions are read again (GET, fresh ETag)
 * before the next run; a 412 also triggers a fresh read. Each request's subscription is kept per
 * connection, since autocannon reports answers per connection.
 */
function patchSource(f: BenchFixtures, url: string) {
  const ready = f.patches.slice();
  const inFlight = new Map<object, Patch>();
  const refresh = async (item: Patch) => {
    const response = await fetch(`${url}/api/v1/customers/${item.customerId}/subscriptions/${item.subscriptionId}`, { headers: bearer(item.apiKey) });
    if (response.ok) {
      const current = (await response.json()) as { etag: string; quantity: number };
      item.version = Number(current.etag.replaceAll('"', ''));
      item.quantity = current.quantity;
    }
    ready.push(item);
  };
  return {
    next(connection: object): Patch {
      const item = ready.shift();
      if (item === undefined) throw new Error('no subscription left to patch');
      inFlight.set(connection, item);
      return item;
    },
    answered(status: number, body: string, connection: object): void {
      const item = inFlight.get(connection);
      inFlight.delete(connection);
      if (item === undefined) return;
      if (status !== 200) {
        void refresh(item);
        return;
      }
      const answer = JSON.parse(body) as { etag: string; quantity: number };
      item.version = Number(answer.etag.replaceAll('"', ''));
      item.quantity = answer.quantity;
      ready.push(item);
    },
    async settle(): Promise<void> {
      const unknown = [...inFlight.values()];
      inFlight.clear();
      await Promise.all(unknown.map(refresh));
    },
  };
}

export function appScenarios(f: BenchFixtures, publicUrl: string): Scenario[] {
  const origin = new URL(publicUrl).origin;
  const lists: Scenario[] = listVariants(f).map((v) => ({
    name: `customers.list ${v.key}`,
    description: `GET /api/v1/customers?limit=50 — ${v.label}, API key`,
    connections: 10,
    request: () => ({ method: 'GET', path: `/api/v1/customers?limit=50${v.cursor === null ? '' : `&cursor=${v.cursor}`}`, headers: bearer(v.apiKey) }),
  }));

  const customer = cycle(f.customerIds);
  let invitation = 0;
  const order = cycle(f.orders);
  const patches = patchSource(f, publicUrl);
  return [
    ...lists,
    {
      name: 'customers.get',
      description: `GET /api/v1/customers/{id} — ${f.customerIds.length} customers of the large reseller in turn`,
      connections: 10,
      request: () => ({ method: 'GET', path: `/api/v1/customers/${customer()}`, headers: bearer(f.large.apiKey) }),
    },
    {
      name: 'invitations.accept',
      description: `POST /api/v1/invitations/{id}/accept — each request a different pending invitation, its invitee signed in (session cookie); ${f.invitations.length} prepared`,
      connections: 16,
      request: () => {
        const item = f.invitations[invitation % f.invitations.length];
        invitation += 1;
        if (item === undefined) throw new Error('no invitations prepared');
        return {
          method: 'POST',
          path: `/api/v1/invitations/${item.id}/accept`,
          headers: { ...json, cookie: item.cookie, origin },
          body: JSON.stringify({ token: item.token, consent: true }),
        };
      },
      exhausted: () => invitation > f.invitations.length,
    },
    {
      name: 'orders.create',
      description: `POST /api/v1/customers/{id}/orders — ${new Set(f.orders.map((o) => o.apiKey)).size} resellers' API keys in turn, ${f.orders.length} joint customers, one line through the provider, a new Idempotency-Key each`,
      connections: 16,
      request: () => {
        const item = order();
        return {
          method: 'POST',
          path: `/api/v1/customers/${item.customerId}/orders`,
          headers: { ...json, ...bearer(item.apiKey), 'idempotency-key': randomUUID() },
          body: JSON.stringify({ providerId: item.providerId, lines: [{ skuId: f.orderSkuId, quantity: 1, billingCycle: 'monthly' }] }),
        };
      },
    },
    ...dashboardScenarios(f),
    {
      name: 'subscriptions.patch',
      description: `PATCH /api/v1/customers/{id}/subscriptions/{sid} — ${f.patches.length} subscriptions in turn, If-Match with the ETag of the last answer`,
      connections: 10,
      request: (connection) => {
        const item = patches.next(connection);
        return {
          method: 'PATCH',
          path: `/api/v1/customers/${item.customerId}/subscriptions/${item.subscriptionId}`,
          headers: { ...json, ...bearer(item.apiKey), 'if-match': `"${item.version}"` },
          body: JSON.stringify({ quantity: item.quantity === item.base ? item.base + 1 : item.base }),
        };
      },
      onResponse: (status, body, connection) => patches.answered(status, body, connection),
      afterRun: () => patches.settle(),
    },
  ];
}

/**
 * The home dashboards (`--only dashboards`): each one the same caller's request over and over;
 * with 1 connection (a user opening its home: latency) and with 4 (several at once: on a 2-core
 * machine mostly queueing behind each other's CPU).
 */
function dashboardScenarios(f: BenchFixtures): Scenario[] {
  const d = f.dashboards;
  const callers = [
    { kind: 'provider', apiKey: d.provider.apiKey, who: `the largest provider (${d.provider.resellers} resellers, ~${d.provider.customers} customers)` },
    { kind: 'reseller', apiKey: d.reseller.apiKey, who: `the largest reseller (${d.reseller.customers} customers)` },
    { kind: 'customer', apiKey: d.customer.apiKey, who: 'a joint customer of the largest reseller' },
    { kind: 'operator', apiKey: d.operator.apiKey, who: 'the operator (program-wide)' },
  ];
  return [1, 4].flatMap((connections) =>
    callers.map(({ kind, apiKey, who }) => ({
      name: `dashboards.${kind}${connections === 1 ? '' : ` x${connections}`}`,
      description: `GET /api/v1/dashboards/${kind} — ${who}, API key (global admin)`,
      connections,
      request: () => ({ method: 'GET' as const, path: `/api/v1/dashboards/${kind}`, headers: bearer(apiKey) }),
    })),
  );
}

export function baselineScenarios(f: BenchFixtures): Scenario[] {
  return listVariants(f).map((v) => ({
    name: `baseline ${v.key}`,
    description: `bare Fastify route, same SQL, no auth — ${v.label}`,
    connections: 10,
    request: () => ({ method: 'GET', path: `/customers?partner=${v.partnerId}&limit=50${v.cursor === null ? '' : `&cursor=${v.cursor}`}` }),
  }));
}

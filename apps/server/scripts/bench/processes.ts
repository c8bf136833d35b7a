import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const mainPath = path.join(repoRoot, 'apps/server/dist/main.mjs');
const ensureBuiltPath = path.join(repoRoot, 'apps/server/scripts/ensure-built.mjs');
const baselinePath = path.join(repoRoot, 'apps/server/scripts/bench/baseline-server.ts');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process, in MiB (current and peak), read from /proc. */
export function rssOf(pid: number): { rssMiB: number; peakMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? '0');
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return 0;
  }
}

/**
 * Calls `visit` with each `postgres` process's pid and `/proc/<pid>/stat` fields (after the
 * command name): with the bench's cluster known, only its postmaster and its children, as other
 * clusters on the machine (tests) are not ours. A process gone while read is skipped.
 */
function forEachPostgresProcess(visit: (pid: number, fields: string[]) => void): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (postgresRoot !== null && pid !== postgresRoot && Number(fields[1]) !== postgresRoot) continue;
      visit(pid, fields);
    } catch {
      continue;
    }
  }
}

/**
 * CPU time used so far by the machine's PostgreSQL servers, in ms: every `postgres` process's own
 * time plus its reaped children's (a backend that closed counts in its postmaster), so the sum
 * only grows while connections come and go.
 */
export function postgresCpuMs(): number {
  let total = 0;
  forEachPostgresProcess((_, fields) => {
    total += ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
  });
  return total;
}

/** PostgreSQL CPU over a stretch of time, in ms: the backends serving connections, and the cluster's own background processes. */
export interface PostgresCpu {
  backendsMs: number;
  backgroundMs: number;
}

/** The cluster's own processes (set by their process titles): not serving any connection. */
const backgroundTitle = /^postgres: (?:\S+: )?(?:checkpointer|background writer|walwriter|autovacuum|logical replication launcher|archiver|startup)/;

/**
 * Starts metering the bench cluster's CPU; the function returned stops and answers it. Each
 * process is read every 200 ms, by its title: a backend (a connection's, parallel workers with
 * them) or a background process (autovacuum, checkpointer, WAL writer, the postmaster itself).
 * Autovacuum starts when enough rows changed, whoever changed them, so it lands in whichever run
 * is under way: counted apart, it is not billed to that run's requests. A process that exits
 * counts what it had used at its last reading (the postmaster's reaped-children total mixes both
 * kinds, so it is not used).
 */
export function meterPostgresCpu(): () => PostgresCpu {
  const seen = new Map<number, { background: boolean; first: number; last: number }>();
  const read = (initial: boolean) =>
    forEachPostgresProcess((pid, fields) => {
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
      const known = seen.get(pid);
      if (known !== undefined) {
        known.last = ms;
        return;
      }
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const background = pid === postgresRoot || !title.startsWith('postgres: ') || backgroundTitle.test(title);
      // A process already running counts from now; one started since counts whole.
      seen.set(pid, { background, first: initial ? ms : 0, last: ms });
    });
  read(true);
  const timer = setInterval(() => read(false), 200);
  return () => {
    clearInterval(timer);
    read(false);
    const cpu: PostgresCpu = { backendsMs: 0, backgroundMs: 0 };
    for (const p of seen.values()) {
      if (p.background) cpu.backgroundMs += p.last - p.first;
      else cpu.backendsMs += p.last - p.first;
    }
    return cpu;
  };
}

let postgresRoot: number | null = null;

/** Counts only the cluster whose postmaster is `pid` in `postgresCpuMs` (null: every `postgres` process). */
export function setPostgresRoot(pid: number | null): void {
  postgresRoot = pid;
}

/** The postmaster of the cluster a backend belongs to: the backend's parent. */
export function parentPid(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const parent = Number(fields[1]);
    return Number.isFinite(parent) && parent > 0 ? parent : null;
  } catch {
    return null;
  }
}

// USER_HZ: 100 on every Linux Node runs on here (sysconf is not reachable from Node).
const clockTicks = 100;

/** Samples RSS every 250 ms until stopped; answers the largest value seen. */
export function sampleRss(pid: number): () => number {
  let max = rssOf(pid)?.rssMiB ?? 0;
  const timer = setInterval(() => {
    max = Math.max(max, rssOf(pid)?.rssMiB ?? 0);
  }, 250);
  return () => {
    clearInterval(timer);
    return Math.max(max, rssOf(pid)?.rssMiB ?? 0);
  };
}

export interface Server {
  readonly url: string;
  /** The app's health port (HEALTH_PORT), where orchestrators probe /healthz and /readyz; null for other servers. */
  readonly healthUrl?: string | null;
  readonly pid: number;
  /** Milliseconds from spawn until the server answered (readyz for the app). */
  readonly startMs: number;
  readonly stdout: string[];
  stop(): Promise<void>;
}

function collect(child: ChildProcess, into: string[]): void {
  const keep = (chunk: Buffer) => {
    into.push(chunk.toString('utf8'));
    if (into.length > 200) into.splice(0, into.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/**
 * Starts the real app the way `npm start` does (the bundle apps/server/dist/main.mjs, built first
 * when the sources changed), in its own process so that its RSS and CPU are its own, on loopback,
 * logging at warn. The build is not part of the measured start.
 */
export async function startApp(options: {
  databaseUrl?: string;
  dataDir?: string;
  demo?: boolean;
  nodeArgs?: string[];
  env?: Record<string, string>;
}): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const healthPort = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: String(port),
    // As a deployment runs it: the probes on a port of their own (docs/deployment.md, "Health port").
    HEALTH_PORT: String(healthPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    DEMO: String(options.demo ?? false),
    SECRET_KEY: 'a'.repeat(64),
    // Every request comes from 127.0.0.1: the per-address token-guessing limit (10 places in
    // flight) would turn most concurrent accepts into 429s. The bench measures the work, not it.
    TOKEN_GUESSES_PER_IP_PER_MINUTE: '1000000',
    ...options.env,
  };
  delete env['DATABASE_URL'];
  delete env['DATA_DIR'];
  if (options.databaseUrl !== undefined) env['DATABASE_URL'] = options.databaseUrl;
  if (options.dataDir !== undefined) env['DATA_DIR'] = options.dataDir;
  if (spawnSync(process.execPath, [ensureBuiltPath], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) throw new Error('the server did not build');
  const started = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', ...(options.nodeArgs ?? []), mainPath], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  collect(child, output);
  const startMs = await waitReady(`${url}/readyz`, child, output, started);
  const healthUrl = `http://127.0.0.1:${env['HEALTH_PORT'] ?? healthPort}`;
  healthUrls.set(url, healthUrl);
  return { url, healthUrl, pid: child.pid ?? 0, startMs, stdout: output, stop: stopper(child) };
}

const healthUrls = new Map<string, string>();

/** The health port of an app `startApp` started, by the app's url (null: none). */
export function healthUrlOf(url: string): string | null {
  return healthUrls.get(url) ?? null;
}

async function waitReady(readyUrl: string, child: ChildProcess, output: string[], started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output.join('')}`);
    try {
      const response = await fetch(readyUrl);
      if (response.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > 600_000) throw new Error(`server not ready after 10 minutes:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const limitServerPath = path.join(repoRoot, 'apps/server/scripts/bench/limit-server.ts');

/** The limit baseline's bare Fastify server (PostgreSQL). */
export async function startLimitServer(databaseUrl: string): Promise<Server> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), DATABASE_URL: databaseUrl, PORT: '0' };
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', limitServerPath], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const line = await firstLine(child, output, 'limit server');
  const parsed = JSON.parse(line) as { address: string };
  return { url: parsed.address, pid: child.pid ?? 0, startMs: performance.now() - started, stdout: output, stop: stopper(child) };
}

/** The first line a child prints on stdout (its address); its stderr is kept for the error. */
function firstLine(child: ChildProcess, output: string[], label: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end));
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}): ${output.join('')}`)));
  });
}

export interface BaselineServer extends Server {
  /** Pages per second of the raw statements, no HTTP (null when not asked for). */
  readonly raw: { seconds: number; pages: number; pagesPerSecond: number } | null;
}

export async function startBaseline(options: { databaseUrl?: string; dataDir?: string; rawSeconds: number; rawPartner: string }): Promise<BaselineServer> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), RAW_SECONDS: String(options.rawSeconds), RAW_PARTNER: options.rawPartner, PORT: '0' };
  delete env['DATABASE_URL'];
  delete env['DATA_DIR'];
  if (options.databaseUrl !== undefined) env['DATABASE_URL'] = options.databaseUrl;
  if (options.dataDir !== undefined) env['DATA_DIR'] = options.dataDir;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', baselinePath], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const line = await firstLine(child, output, 'baseline');
  const parsed = JSON.parse(line) as { address: string; raw: BaselineServer['raw'] };
  return { url: parsed.address, pid: child.pid ?? 0, startMs: performance.now() - started, stdout: output, raw: parsed.raw, stop: stopper(child) };
}

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { databaseState, slot, slotCount, type HealthThresholds } from './health-state.ts';
import type { HealthWorkerData, HealthWorkerMessage } from './health-worker.ts';
import { problemOf } from './problem.ts';

/*
 * /healthz and /readyz on a port of their own (HEALTH_PORT), answered by a worker thread so that
 * a probe never waits behind the main event loop's work (docs/deployment.md, "Health port").
 * The main thread keeps what they report up to date in shared memory: a heartbeat timer (liveness
 * means that the main loop still runs it) and the outcome of its own periodic database ping (the
 * worker opens no connection).
 */

export const healthDefaults = {
  /** A main loop that has not run its heartbeat for 10 s is stuck, not busy: liveness fails. */
  staleAfterMs: 10_000,
  /** Readiness needs a database ping that succeeded within this long (pings take ≤ 2 s, 1 s apart). */
  databaseStaleAfterMs: 5_000,
  heartbeatEveryMs: 100,
  pingEveryMs: 1_000,
} as const;

export interface HealthPortOptions {
  port: number;
  host: string;
  /** The database check (`DatabaseHandle.ping`): run on the main thread, its outcome shared. */
  ping: () => Promise<void>;
  /** Tests shorten these; the runtime takes the defaults. */
  thresholds?: Partial<HealthThresholds>;
  heartbeatEveryMs?: number;
  pingEveryMs?: number;
  /** The worker failed after it started (it then answers no more). */
  onError?: (error: Error) => void;
}

export interface HealthPort {
  /** The port listened on (the configured one, or the one chosen for port 0). */
  readonly port: number;
  /** Readiness answers 503 from now on (the runtime is closing); liveness still answers. */
  drain(): void;
  /** Stops the heartbeat and the pings and ends the worker (its listener with it). */
  close(): Promise<void>;
}

/** The worker's entry: bundled beside main.mjs (dist/health-worker.mjs), or the TypeScript source. */
const here = path.dirname(fileURLToPath(import.meta.url));
const fromSources = import.meta.url.endsWith('.ts');

function spawnWorker(data: HealthWorkerData): Worker {
  if (!fromSources) return new Worker(path.join(here, 'health-worker.mjs'), { workerData: data });
  // Sources (tsx, tests): a worker does not inherit the TypeScript loader; it registers tsx's first.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = pathToFileURL(path.join(here, 'health-worker.ts')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

export async function startHealthPort(options: HealthPortOptions): Promise<HealthPort> {
  const thresholds: HealthThresholds = {
    staleAfterMs: options.thresholds?.staleAfterMs ?? healthDefaults.staleAfterMs,
    databaseStaleAfterMs: options.thresholds?.databaseStaleAfterMs ?? healthDefaults.databaseStaleAfterMs,
  };
  const buffer = new SharedArrayBuffer(slotCount * BigInt64Array.BYTES_PER_ELEMENT);
  const state = new BigInt64Array(buffer);
  const beat = () => Atomics.store(state, slot.heartbeat, process.hrtime.bigint());
  beat();
  // Unref'd: the health port never keeps a process alive on its own.
  const heartbeat = setInterval(beat, options.heartbeatEveryMs ?? healthDefaults.heartbeatEveryMs);
  heartbeat.unref();

  let stopped = false;
  let pingTimer: NodeJS.Timeout | null = null;
  let pinging: Promise<void> = Promise.resolve();
  const pingOnce = async () => {
    try {
      await options.ping();
      // The time first: a reader that sees `ok` never pairs it with the previous success's time.
      Atomics.store(state, slot.databaseOkAt, process.hrtime.bigint());
      Atomics.store(state, slot.databaseState, databaseState.ok);
    } catch {
      Atomics.store(state, slot.databaseState, databaseState.failed);
    }
  };
  // One ping at a time, the next one `pingEveryMs` after the last ended.
  const schedule = () => {
    if (stopped) return;
    pinging = pingOnce().finally(() => {
      if (stopped) return;
      pingTimer = setTimeout(schedule, options.pingEveryMs ?? healthDefaults.pingEveryMs);
      pingTimer.unref();
    });
  };
  schedule();

  const worker = spawnWorker({
    state: buffer,
    port: options.port,
    host: options.host,
    thresholds,
    answers: {
      healthy: { status: 'ok' },
      ready: { status: 'ready' },
      unavailable: problemOf('service_unavailable', ''),
      notFound: problemOf('not_found', '', 'No such route.'),
    },
  });
  const stop = async () => {
    stopped = true;
    clearInterval(heartbeat);
    if (pingTimer !== null) clearTimeout(pingTimer);
    await pinging;
    await worker.terminate();
  };
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the health listener's thread ended (${code})`)));
      worker.on('message', (message: HealthWorkerMessage) => {
        if (message.type === 'listening') resolve(message.port);
        else reject(new Error(`HEALTH_PORT ${options.port}: ${message.message}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.on('error', (error) => options.onError?.(error));
  worker.unref();
  return {
    port,
    drain: () => Atomics.store(state, slot.draining, 1n),
    close: stop,
  };
}

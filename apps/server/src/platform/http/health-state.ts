/*
 * The state the main thread shares with the health listener's thread (health-port.ts,
 * health-worker.ts): a few 64-bit slots in a SharedArrayBuffer, written by the main thread with
 * Atomics and read by the worker, and the verdict the worker draws from them. Times are
 * `process.hrtime.bigint()` nanoseconds: one monotonic clock for every thread of the process, which
 * a change of the wall clock does not move.
 */

/** Slot indexes of the shared BigInt64Array. */
export const slot = {
  /** When the main thread's heartbeat timer last ran. */
  heartbeat: 0,
  /** When the main thread's database ping last succeeded (0: never). */
  databaseOkAt: 1,
  /** The last ping's outcome: 0 none yet, 1 answered, 2 failed. */
  databaseState: 2,
  /** 1 once the runtime began closing: not ready, still alive. */
  draining: 3,
} as const;

export const slotCount = 4;

export const databaseState = { none: 0n, ok: 1n, failed: 2n } as const;

/** How stale the shared state may be before the worker's answers change (ms). */
export interface HealthThresholds {
  /** Liveness fails once the main loop's heartbeat is older than this. */
  staleAfterMs: number;
  /** Readiness fails once the last successful database ping is older than this. */
  databaseStaleAfterMs: number;
}

/** What a health answer says: ok, or why not (the problem's detail). */
export type Verdict = { ok: true } | { ok: false; detail: string };

const ms = (ns: bigint) => Number(ns / 1_000_000n);

/** Liveness: the main loop ran its heartbeat within `staleAfterMs`. */
export function liveness(state: BigInt64Array, now: bigint, thresholds: HealthThresholds): Verdict {
  const age = ms(now - Atomics.load(state, slot.heartbeat));
  if (age <= thresholds.staleAfterMs) return { ok: true };
  return { ok: false, detail: `The server's main event loop has not run for ${age} ms.` };
}

/** Readiness: alive, not closing, and the database answered the last ping, recently. */
export function readiness(state: BigInt64Array, now: bigint, thresholds: HealthThresholds): Verdict {
  if (Atomics.load(state, slot.draining) === 1n) return { ok: false, detail: 'The server is shutting down; retry.' };
  const alive = liveness(state, now, thresholds);
  if (!alive.ok) return alive;
  const okAt = Atomics.load(state, slot.databaseOkAt);
  const answered = Atomics.load(state, slot.databaseState) === databaseState.ok;
  if (!answered || okAt === 0n || ms(now - okAt) > thresholds.databaseStaleAfterMs) return { ok: false, detail: 'The database is not reachable.' };
  return { ok: true };
}

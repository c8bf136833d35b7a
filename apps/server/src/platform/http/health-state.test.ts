import { describe, expect, it } from 'vitest';
import { databaseState, liveness, readiness, slot, slotCount } from './health-state.ts';

const ms = 1_000_000n;
const thresholds = { staleAfterMs: 1_000, databaseStaleAfterMs: 5_000 };
const now = 100_000n * ms;

/** A shared state as the main thread would leave it: heartbeat and last good ping `…Ago` ms before `now`. */
function stateOf(s: { heartbeatAgo: number; pingOkAgo: number | null; ping: bigint; draining?: boolean }): BigInt64Array {
  const state = new BigInt64Array(new SharedArrayBuffer(slotCount * BigInt64Array.BYTES_PER_ELEMENT));
  state[slot.heartbeat] = now - BigInt(s.heartbeatAgo) * ms;
  state[slot.databaseOkAt] = s.pingOkAgo === null ? 0n : now - BigInt(s.pingOkAgo) * ms;
  state[slot.databaseState] = s.ping;
  state[slot.draining] = s.draining === true ? 1n : 0n;
  return state;
}

describe('health verdicts from the shared state', () => {
  it('liveness holds while the heartbeat is at most staleAfterMs old, and says for how long the loop has not run past it', () => {
    expect(liveness(stateOf({ heartbeatAgo: 0, pingOkAgo: null, ping: databaseState.none }), now, thresholds)).toEqual({ ok: true });
    expect(liveness(stateOf({ heartbeatAgo: 1_000, pingOkAgo: null, ping: databaseState.none }), now, thresholds)).toEqual({ ok: true });
    expect(liveness(stateOf({ heartbeatAgo: 1_500, pingOkAgo: null, ping: databaseState.none }), now, thresholds)).toEqual({
      ok: false,
      detail: "The server's main event loop has not run for 1500 ms.",
    });
  });

  it('liveness does not depend on the database or on closing', () => {
    expect(liveness(stateOf({ heartbeatAgo: 10, pingOkAgo: null, ping: databaseState.failed, draining: true }), now, thresholds)).toEqual({ ok: true });
  });

  it('readiness: alive, not closing, and the last ping answered within databaseStaleAfterMs', () => {
    expect(readiness(stateOf({ heartbeatAgo: 10, pingOkAgo: 900, ping: databaseState.ok }), now, thresholds)).toEqual({ ok: true });
  });

  it('readiness fails before the first ping, after a failed one, and when the last success is stale', () => {
    const unreachable = { ok: false, detail: 'The database is not reachable.' };
    expect(readiness(stateOf({ heartbeatAgo: 10, pingOkAgo: null, ping: databaseState.none }), now, thresholds)).toEqual(unreachable);
    expect(readiness(stateOf({ heartbeatAgo: 10, pingOkAgo: 900, ping: databaseState.failed }), now, thresholds)).toEqual(unreachable);
    expect(readiness(stateOf({ heartbeatAgo: 10, pingOkAgo: 6_000, ping: databaseState.ok }), now, thresholds)).toEqual(unreachable);
  });

  it('readiness fails while closing (first) and when the main loop is stuck', () => {
    expect(readiness(stateOf({ heartbeatAgo: 10, pingOkAgo: 900, ping: databaseState.ok, draining: true }), now, thresholds)).toEqual({
      ok: false,
      detail: 'The server is shutting down; retry.',
    });
    expect(readiness(stateOf({ heartbeatAgo: 2_000, pingOkAgo: 900, ping: databaseState.ok }), now, thresholds)).toMatchObject({ ok: false, detail: expect.stringMatching(/main event loop/) });
  });
});

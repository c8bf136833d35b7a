import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { startHealthPort, type HealthPort } from './health-port.ts';

/*
 * The health port's thread answers while the main thread's event loop is blocked: the probe is
 * sent from a second worker thread, and the main thread spins (synchronously, never yielding)
 * until that probe's answer has arrived. Assertions are on the answers; the only times are
 * generous bounds that end a spin.
 */

interface Answer {
  status: number;
  type: string | null;
  body: Record<string, unknown>;
}

const opened: HealthPort[] = [];

async function open(options: Partial<Parameters<typeof startHealthPort>[0]> = {}): Promise<HealthPort> {
  const health = await startHealthPort({ port: 0, host: '127.0.0.1', ping: () => Promise.resolve(), ...options });
  opened.push(health);
  return health;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((h) => h.close()));
});

async function probe(port: number, path: string, method = 'GET'): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Polls (bounded) until `path` answers `status`. */
async function until(port: number, path: string, status: number): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await probe(port, path);
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The prober: waits `delayMs` once told the main thread is blocked, sends GET `path`, stores the
// status in the shared flag (waking the main thread's spin) and posts the answer.
const prober = `
const { workerData, parentPort } = require('node:worker_threads');
const flag = new Int32Array(workerData.flag);
Atomics.wait(flag, 0, 0);
Atomics.wait(flag, 1, 0, workerData.delayMs);
fetch('http://127.0.0.1:' + workerData.port + workerData.path).then(async (response) => {
  const answer = { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
  parentPort.postMessage(answer);
  Atomics.store(flag, 1, response.status);
}, (error) => {
  parentPort.postMessage({ status: -1, type: null, body: { error: String(error) } });
  Atomics.store(flag, 1, -1);
});
`;

/**
 * Blocks the main thread for at least `minMs` and until a probe of `path`, sent `delayMs` into the
 * block from another thread, has its answer (at most 20 s): what the health port said meanwhile.
 */
async function probeWhileBlocked(port: number, path: string, options: { minMs: number; delayMs: number }): Promise<{ answer: Answer; answeredWhileBlocked: boolean; blockedMs: number }> {
  const flag = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(prober, { eval: true, workerData: { flag: flag.buffer, port, path, delayMs: options.delayMs } });
  const message = new Promise<Answer>((resolve) => worker.once('message', resolve));
  await new Promise((resolve) => worker.once('online', resolve));
  const started = performance.now();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  // Synchronous: no timer, no I/O callback of this thread runs until the spin ends.
  while (performance.now() - started < options.minMs || (Atomics.load(flag, 1) === 0 && performance.now() - started < 20_000)) {
    // spin
  }
  const answeredWhileBlocked = Atomics.load(flag, 1) !== 0;
  const blockedMs = performance.now() - started;
  const answer = await message;
  await worker.terminate();
  return { answer, answeredWhileBlocked, blockedMs };
}

describe('health port (a thread of its own)', () => {
  it('answers /healthz 200 while the main event loop is blocked by synchronous work', async () => {
    const health = await open();
    expect((await until(health.port, '/healthz', 200)).body).toEqual({ status: 'ok' });
    const { answer, answeredWhileBlocked, blockedMs } = await probeWhileBlocked(health.port, '/healthz', { minMs: 1_500, delayMs: 200 });
    expect(answeredWhileBlocked).toBe(true);
    expect(blockedMs).toBeGreaterThanOrEqual(1_500);
    expect(answer).toEqual({ status: 200, type: 'application/json; charset=utf-8', body: { status: 'ok' } });
  });

  it('liveness turns 503 problem+json once the main loop has not run for staleAfterMs, and 200 again once it runs', async () => {
    const health = await open({ thresholds: { staleAfterMs: 200 }, heartbeatEveryMs: 20 });
    await until(health.port, '/healthz', 200);
    const { answer, answeredWhileBlocked } = await probeWhileBlocked(health.port, '/healthz', { minMs: 0, delayMs: 800 });
    expect(answeredWhileBlocked).toBe(true);
    expect(answer.status).toBe(503);
    expect(answer.type).toBe('application/problem+json; charset=utf-8');
    expect(answer.body).toMatchObject({ status: 503, code: 'service_unavailable', requestId: expect.any(String), detail: expect.stringMatching(/main event loop has not run for \d+ ms/) });
    expect((await until(health.port, '/healthz', 200)).status).toBe(200);
  });

  it('readiness: 200 once a database ping succeeded, 503 after drain() while liveness still answers 200', async () => {
    const health = await open({ pingEveryMs: 50 });
    expect(await until(health.port, '/readyz', 200)).toMatchObject({ status: 200, body: { status: 'ready' } });
    health.drain();
    const draining = await probe(health.port, '/readyz');
    expect(draining.status).toBe(503);
    expect(draining.type).toBe('application/problem+json; charset=utf-8');
    expect(draining.body).toMatchObject({ code: 'service_unavailable', detail: 'The server is shutting down; retry.', requestId: expect.any(String) });
    expect((await probe(health.port, '/healthz')).status).toBe(200);
  });

  it('readiness is 503 while the database ping fails; HEAD answers like GET without a body', async () => {
    const health = await open({ ping: () => Promise.reject(new Error('down')), pingEveryMs: 50 });
    const answer = await probe(health.port, '/readyz');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ code: 'service_unavailable', detail: 'The database is not reachable.' });
    const head = await fetch(`http://127.0.0.1:${health.port}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('any other path or method is a 404 problem+json with a requestId', async () => {
    const health = await open();
    for (const [method, path] of [
      ['GET', '/api/v1/customers'],
      ['GET', '/metrics'],
      ['POST', '/healthz'],
    ] as const) {
      const answer = await probe(health.port, path, method);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.type).toBe('application/problem+json; charset=utf-8');
      expect(answer.body).toMatchObject({ status: 404, code: 'not_found', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    }
  });

  it('a port already in use is refused at start; close() stops answering', async () => {
    const health = await open();
    await expect(startHealthPort({ port: health.port, host: '127.0.0.1', ping: () => Promise.resolve() })).rejects.toThrow(new RegExp(`HEALTH_PORT ${health.port}`));
    await health.close();
    await expect(fetch(`http://127.0.0.1:${health.port}/healthz`)).rejects.toThrow();
  });
});

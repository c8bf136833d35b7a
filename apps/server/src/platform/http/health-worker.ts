/*
 * The health listener's thread (started by health-port.ts; bundled as dist/health-worker.mjs).
 * Answers GET/HEAD /healthz and /readyz on a port of its own from the state the main thread
 * shares, on an event loop of its own: an answer never waits for the main thread's JavaScript.
 * It opens no database connection and imports nothing but Node and the shared state's layout.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from '@tierlink/contract';
import { liveness, readiness, type HealthThresholds, type Verdict } from './health-state.ts';

/** What the main thread hands the worker (structured-cloned, the buffer shared). */
export interface HealthWorkerData {
  state: SharedArrayBuffer;
  port: number;
  host: string;
  thresholds: HealthThresholds;
  /** The main port's answers, made there by the same code (problemOf), so that both ports say the same. */
  answers: {
    healthy: { status: string };
    ready: { status: string };
    /** `service_unavailable`; detail and requestId are filled in per answer. */
    unavailable: Problem;
    /** `not_found` for any other path or method. */
    notFound: Problem;
  };
}

/** Messages to the main thread. */
export type HealthWorkerMessage = { type: 'listening'; port: number } | { type: 'failed'; message: string };

const data = workerData as HealthWorkerData;
const port = parentPort;
const state = new BigInt64Array(data.state);

function send(res: ServerResponse, status: number, type: string, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'content-length': Buffer.byteLength(text),
    // A probe's answer is about this instant.
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}

function answer(res: ServerResponse, verdict: Verdict, ok: { status: string }, head: boolean): void {
  if (verdict.ok) send(res, 200, 'application/json', ok, head);
  else send(res, 503, 'application/problem+json', { ...data.answers.unavailable, detail: verdict.detail, requestId: randomUUID() }, head);
}

const server = createServer((req, res) => {
  const path = (req.url ?? '').split('?')[0];
  const head = req.method === 'HEAD';
  const read = req.method === 'GET' || head;
  const now = process.hrtime.bigint();
  if (read && path === '/healthz') return answer(res, liveness(state, now, data.thresholds), data.answers.healthy, head);
  if (read && path === '/readyz') return answer(res, readiness(state, now, data.thresholds), data.answers.ready, head);
  send(res, 404, 'application/problem+json', { ...data.answers.notFound, requestId: randomUUID() }, head);
});

server.on('error', (error) => {
  const message: HealthWorkerMessage = { type: 'failed', message: error.message };
  port?.postMessage(message);
});
server.listen(data.port, data.host, () => {
  const address = server.address();
  const message: HealthWorkerMessage = { type: 'listening', port: typeof address === 'object' && address !== null ? address.port : data.port };
  port?.postMessage(message);
});

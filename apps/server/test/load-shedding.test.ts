import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './harness.ts';
import type { InFlightLimit } from '../src/platform/http/load-shedding.ts';

/*
 * The in-flight bound (docs/deployment.md, "Overload"), on a tiny configured limit. A request is
 * held in flight deterministically by sending its headers and only part of its body: the bound
 * counts it from its headers on (onRequest), and the test decides when it ends (rest of the body)
 * or goes away (the socket destroyed). Nothing waits on a clock: the test reads the bound's state
 * from /metrics until it is what the step expects.
 */

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses one HTTP/1.1 answer (Content-Length framed, as every answer here is). */
function parse(text: string): Answer {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

/** A request on its own connection that closes after the answer. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<Answer> {
  const held = hold(port, method, path, headers, body, body);
  return held.answer;
}

interface Held {
  socket: Socket;
  /** Sends the rest of the body: the request completes. */
  finish(): void;
  answer: Promise<Answer>;
}

/** Sends the headers and `sent` of `body`; the rest waits for `finish()`. */
function hold(port: number, method: string, path: string, headers: Record<string, string>, body: string, sent = ''): Held {
  const socket = connect(port, '127.0.0.1');
  const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body !== '') head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  socket.write(`${head.join('\r\n')}\r\n\r\n${sent}`);
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  const answer = new Promise<Answer>((resolve, reject) => {
    socket.on('end', () => resolve(parse(text)));
    socket.on('error', reject);
  });
  // An abort's error is the test's own doing.
  answer.catch(() => undefined);
  return { socket, finish: () => socket.write(body.slice(sent.length)), answer };
}

const signIn = JSON.stringify({ email: 'nobody@example.test', password: 'not the password at all' });
const json = { 'Content-Type': 'application/json', Origin: 'http://tierlink.test' };

/** A sign-in whose body is half sent: in flight until finished or aborted. */
const holdSignIn = (port: number) => hold(port, 'POST', '/api/v1/sessions', json, signIn, signIn.slice(0, 10));

describe('load shedding: a bounded number of requests in flight', () => {
  const limit: InFlightLimit = { maxInFlight: 2, maxQueued: 1, queueMs: 0, retryAfterSeconds: 3 };
  let t: TestContext;
  let port = 0;

  /** The bound's state as /metrics reports it (itself outside the bound). */
  async function state(): Promise<{ inFlight: number; queued: number }> {
    const text = (await send(port, 'GET', '/metrics')).body;
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { inFlight: gauge('tierlink_http_requests_in_flight'), queued: gauge('tierlink_http_requests_queued') };
  }

  /** Polls until the bound holds what is expected; each poll is a request answered at once. */
  async function until(expected: { inFlight: number; queued?: number }): Promise<void> {
    for (let polls = 0; ; polls += 1) {
      const now = await state();
      if (now.inFlight === expected.inFlight && now.queued === (expected.queued ?? 0)) return;
      if (polls > 10_000) expect(now).toEqual({ queued: 0, ...expected });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function fill(): Promise<Held[]> {
    const held = [holdSignIn(port), holdSignIn(port)];
    await until({ inFlight: 2 });
    return held;
  }

  beforeAll(async () => {
    t = await createTestContext({ limits: { inFlight: limit } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(() => t.close());

  it('beyond the bound a request is answered at once: 503 overloaded problem+json with Retry-After and the request id', async () => {
    const held = await fill();
    const answer = await send(port, 'GET', '/api/v1/customers');
    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['retry-after']).toBe('3');
    const problem = JSON.parse(answer.body) as { code: string; status: number; requestId: string; type: string };
    expect(problem).toMatchObject({ code: 'overloaded', status: 503, type: 'https://tierlink.dev/problems/overloaded' });
    expect(answer.headers['request-id']).toBe(problem.requestId);
    expect(answer.headers['cache-control']).toBe('no-store');
    // The held requests are still worked on once their bodies arrive: bad credentials, not overload.
    for (const h of held) h.finish();
    for (const h of held) expect((await h.answer).status).toBe(401);
    await until({ inFlight: 0 });
    expect((await send(port, 'GET', '/api/v1/customers')).status).toBe(401);
  });

  it('health, readiness, metrics and the portal answer while the bound is full', async () => {
    const held = await fill();
    expect([(await send(port, 'GET', '/healthz')).status, (await send(port, 'GET', '/readyz')).status]).toEqual([200, 200]);
    // Outside /api/ (the portal's pages and files) nothing waits for a slot: answered, not 503.
    expect((await send(port, 'GET', '/customers')).status).not.toBe(503);
    expect(await state()).toEqual({ inFlight: 2, queued: 0 });
    for (const h of held) h.socket.destroy();
    await until({ inFlight: 0 });
  });

  it('aborted requests give their slots back: after 50 rounds of a full bound abandoned, the server still serves', async () => {
    for (let round = 0; round < 50; round += 1) {
      const held = await fill();
      for (const h of held) h.socket.destroy();
      await until({ inFlight: 0 });
    }
    expect((await send(port, 'GET', '/api/v1/customers')).status).toBe(401);
  });

  it('requests that end in an error give their slots back', async () => {
    for (let round = 0; round < 20; round += 1) {
      const answers = await Promise.all([
        send(port, 'POST', '/api/v1/sessions', json, '{"not json'),
        send(port, 'POST', '/api/v1/sessions', { ...json, 'Content-Type': 'text/xml' }, '<a/>'),
        send(port, 'GET', '/api/v1/customers/not-an-id', { Authorization: 'Bearer nonsense' }),
      ]);
      // Three at once against a bound of two: one of them may be refused, never a slot lost.
      for (const a of answers) expect([400, 401, 415, 503]).toContain(a.status);
    }
    await until({ inFlight: 0 });
    const held = await fill();
    expect((await send(port, 'GET', '/api/v1/customers')).status).toBe(503);
    for (const h of held) h.socket.destroy();
    await until({ inFlight: 0 });
  });
});

describe('load shedding with a queue: a request may wait for a slot', () => {
  const limit: InFlightLimit = { maxInFlight: 2, maxQueued: 2, queueMs: 600_000, retryAfterSeconds: 1 };
  let t: TestContext;
  let port = 0;

  async function state(): Promise<{ inFlight: number; queued: number }> {
    const text = (await send(port, 'GET', '/metrics')).body;
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { inFlight: gauge('tierlink_http_requests_in_flight'), queued: gauge('tierlink_http_requests_queued') };
  }
  async function until(expected: { inFlight: number; queued: number }): Promise<void> {
    for (let polls = 0; ; polls += 1) {
      const now = await state();
      if (now.inFlight === expected.inFlight && now.queued === expected.queued) return;
      if (polls > 10_000) expect(now).toEqual(expected);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  beforeAll(async () => {
    t = await createTestContext({ limits: { inFlight: limit } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(() => t.close());

  it('a freed slot goes to the newest waiting request; beyond the queue a request is refused at once', async () => {
    const held = [holdSignIn(port), holdSignIn(port)];
    await until({ inFlight: 2, queued: 0 });
    // Held too (half a body), so that the order they were served in shows in what is in flight.
    const older = holdSignIn(port);
    await until({ inFlight: 2, queued: 1 });
    const newer = holdSignIn(port);
    await until({ inFlight: 2, queued: 2 });
    const refused = await send(port, 'GET', '/api/v1/customers');
    expect([refused.status, JSON.parse(refused.body)]).toMatchObject([503, { code: 'overloaded' }]);
    const [first, second] = held;
    first?.finish();
    expect((await first?.answer)?.status).toBe(401);
    await until({ inFlight: 2, queued: 1 });
    // The newer one holds the freed slot: finishing it frees one more, which the older one gets.
    newer.finish();
    expect((await newer.answer).status).toBe(401);
    await until({ inFlight: 2, queued: 0 });
    older.finish();
    expect((await older.answer).status).toBe(401);
    second?.socket.destroy();
    await until({ inFlight: 0, queued: 0 });
  });

  it('a queued request whose client leaves leaves the queue', async () => {
    const held = [holdSignIn(port), holdSignIn(port)];
    await until({ inFlight: 2, queued: 0 });
    const waiting = hold(port, 'GET', '/api/v1/customers', {}, '');
    await until({ inFlight: 2, queued: 1 });
    waiting.socket.destroy();
    await until({ inFlight: 2, queued: 0 });
    for (const h of held) h.socket.destroy();
    await until({ inFlight: 0, queued: 0 });
    expect((await send(port, 'GET', '/api/v1/customers')).status).toBe(401);
  });
});

import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './harness.ts';

/*
 * Answers that Fastify or Node's HTTP parser would give in their own shape: a URL that is not
 * UTF-8, an over-long path parameter, a request line over the header limit, a request that is not
 * HTTP, OPTIONS. Each is problem+json with a snake_case code and a request id (also in the
 * Request-Id header), over a real socket, since Node answers some before Fastify sees a request.
 */

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw bytes on a fresh connection; the answer as text. */
function sendRaw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

function expectProblem(answer: Answer, status: number, code: string): void {
  const label = `${answer.status} ${answer.body.slice(0, 200)}`;
  expect(answer.status, label).toBe(status);
  expect(String(answer.headers['content-type']), label).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(answer.body) as { code?: string; requestId?: string; status?: number };
  expect([body.code, body.status], label).toEqual([code, status]);
  expect(body.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  expect(body.requestId, label).toBeTypeOf('string');
  expect(answer.headers['request-id'], label).toBe(body.requestId);
}

describe('answers before a route: problem+json with a request id', () => {
  let t: TestContext;
  let base = '';
  let port = 0;

  beforeAll(async () => {
    t = await createTestContext();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => t.close());

  it('a path that is not percent-encoded UTF-8 answers 400 validation_failed', async () => {
    expectProblem(await send(base, 'GET', '/api/v1/customers/%ff'), 400, 'validation_failed');
    expectProblem(await send(base, 'GET', '/api/v1/customers/%ED%A0%80'), 400, 'validation_failed');
  });

  it('an over-long path parameter answers 400 validation_failed', async () => {
    // POST: no portal catch-all route takes the path instead when the portal is built.
    expectProblem(await send(base, 'POST', `/api/v1/customers/${'a'.repeat(300)}/relationship/remove`), 400, 'validation_failed');
  });

  it('a request line over the header limit (a 100 kB query) answers problem+json, not a bare 431', async () => {
    expectProblem(await send(base, 'GET', `/api/v1/customers?name=${'x'.repeat(100_000)}`), 400, 'validation_failed');
  });

  it('bytes that are not HTTP answer problem+json and close the connection', async () => {
    const text = await sendRaw(port, 'NOT HTTP AT ALL\r\n\r\n');
    const [head = '', body = ''] = text.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    const requestId = /request-id: ([0-9a-f-]{36})/i.exec(head)?.[1];
    expect(JSON.parse(body)).toMatchObject({ code: 'validation_failed', status: 400, requestId });
  });

  it('OPTIONS answers 204 with Allow before reading a body; an unknown path 404 problem', async () => {
    const options = await send(base, 'OPTIONS', '/api/v1/customers', { 'content-type': 'application/json' });
    expect([options.status, options.body]).toEqual([204, '']);
    expect(options.headers['allow']).toBe('GET, HEAD, OPTIONS');
    expect(options.headers['request-id']).toBeTypeOf('string');
    const writes = await send(base, 'OPTIONS', '/api/v1/api-keys', { 'content-type': 'application/json' });
    expect(writes.headers['allow']).toBe('GET, HEAD, POST, OPTIONS');
    expectProblem(await send(base, 'OPTIONS', '/api/v1/no-such-thing', { 'content-type': 'application/json' }), 404, 'not_found');
  });
});

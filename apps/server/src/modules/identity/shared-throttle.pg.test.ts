import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { freePort, operatorEmail, operatorPassword, ServerProcess, serverSettings } from '../../../test/crash/server-process.ts';

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: number | null;
}

/**
 * One request over real TCP from a chosen loopback source address (any of 127.0.0.0/8 reaches the
 * server on 127.0.0.1), so the server sees a different client address without trusting any header.
 */
function send(server: ServerProcess, from: string, method: 'GET' | 'POST', path: string, body?: object): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const url = new URL(path, server.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        localAddress: from,
        agent: false,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), origin: server.base },
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () => {
          const retry = res.headers['retry-after'];
          let code: string | undefined;
          try {
            code = (JSON.parse(raw) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          resolve({ status: res.statusCode ?? 0, code, retryAfter: retry === undefined ? null : Number(retry) });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/*
 * RATE-01: two real server processes (`tsx apps/server/src/main.ts`) on one PostgreSQL share every
 * limiter, because the counts live in the database, not in a process. The attacks below are split
 * across both processes; the combined limits hold, and every 429 carries Retry-After.
 */
describe('RATE-01: throttling is shared by two server processes on one database', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 2 });
    if (database.url === null) throw new Error('RATE-01 needs PostgreSQL');
    const settings = await serverSettings(database.url);
    // One after the other: the first migrates the database and bootstraps the operator.
    a = await ServerProcess.start(settings);
    b = await ServerProcess.start({ ...settings, port: await freePort() });
  }, 400_000);

  afterAll(async () => {
    await Promise.all([a?.kill9(), b?.kill9()]);
    await database?.drop();
  }, 120_000);

  it('AUTH-07 across processes: the 10 consecutive failures of one address and account, alternating between the processes', async () => {
    const servers = [a, b];
    for (let i = 0; i < 10; i += 1) {
      const answer = await send(servers[i % 2] ?? a, '127.0.0.1', 'POST', '/api/v1/sessions', { email: operatorEmail, password: `wrong guess ${i}` });
      expect([answer.status, answer.code], `attempt ${i} on ${i % 2 === 0 ? 'a' : 'b'}`).toEqual([401, 'invalid_credentials']);
    }
    for (const server of servers) {
      // Blocked on both processes, even with the right password.
      const blocked = await send(server, '127.0.0.1', 'POST', '/api/v1/sessions', { email: operatorEmail, password: operatorPassword });
      expect([blocked.status, blocked.code]).toEqual([429, 'rate_limited']);
      expect(blocked.retryAfter).toBeGreaterThan(0);
      expect(blocked.retryAfter).toBeLessThanOrEqual(60);
    }
    // The owner, from another address, is not locked out (no malicious lockout).
    const owner = await send(b, '127.0.0.2', 'POST', '/api/v1/sessions', { email: operatorEmail, password: operatorPassword });
    expect(owner.status).toBe(201);
  }, 300_000);

  it('AUTH-07 across processes: 100 failures an hour per account, sprayed from 25 addresses over both processes', async () => {
    const victim = 'nobody-yet@spray.test'; // unknown emails are throttled the same way
    for (let i = 0; i < 100; i += 1) {
      const from = `127.0.1.${Math.floor(i / 4) + 1}`;
      const answer = await send(i % 2 === 0 ? a : b, from, 'POST', '/api/v1/sessions', { email: victim, password: `spray ${i}` });
      expect([answer.status, answer.code], `attempt ${i} from ${from}`).toEqual([401, 'invalid_credentials']);
    }
    for (const [server, from] of [[a, '127.0.2.1'], [b, '127.0.2.2']] as const) {
      const blocked = await send(server, from, 'POST', '/api/v1/sessions', { email: victim, password: 'any password at all' });
      expect([blocked.status, blocked.code]).toEqual([429, 'rate_limited']);
      expect(blocked.retryAfter).toBeGreaterThan(0);
      expect(blocked.retryAfter).toBeLessThanOrEqual(3600);
    }
  }, 600_000);

  it('RATE-03 across processes: 30 wrong invitation tokens at once, split over both, get exactly 10 answers and 20 × 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send(i % 2 === 0 ? a : b, '127.0.3.1', 'GET', `/api/v1/invitations/00000000-0000-4000-8000-000000000001?token=guess-${i}-${'z'.repeat(30)}`),
      ),
    );
    expect(answers.filter((x) => x.status === 404 && x.code === 'invitation_not_found')).toHaveLength(10);
    const refused = answers.filter((x) => x.status === 429);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(r.code).toBe('rate_limited');
      expect(r.retryAfter).toBeGreaterThan(0);
      expect(r.retryAfter).toBeLessThanOrEqual(60);
    }
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database.ts';
import { HttpClient, NoAnswer, type HttpReply } from './http.ts';
import { iterations, reportFigures } from './proof-profile.ts';
import { operatorEmail, operatorPassword, ServerProcess, serverSettings } from './server-process.ts';

/*
 * CRASH-05: SIGTERM drains. Sign-ins (argon2 verification, the slowest request there is) are sent
 * at once; as soon as the server has received every one of them — counted in its request log, not
 * guessed with a timer — the process group gets SIGTERM, as a supervisor sends it. Every request
 * already received finishes with its normal answer, nothing new is served, and the process exits 0
 * without waiting for its clients' idle keep-alive connections to time out.
 */
const signIns = iterations(16, 48);

type Answer = { reply: HttpReply } | { error: string };

describe('CRASH-05: SIGTERM lets in-flight requests finish', () => {
  let database: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 2 });
    if (database.url === null) throw new Error('CRASH-05 needs PostgreSQL');
    server = await ServerProcess.start(await serverSettings(database.url, 'info'));
  }, 300_000);

  afterAll(async () => {
    if (server !== undefined) await server.kill9();
    await database?.drop();
  }, 120_000);

  it(`${signIns} sign-ins in flight at SIGTERM all complete, nothing new is served, the exit code is 0`, async () => {
    // How long the server keeps an idle connection open, as it tells its clients.
    const health = await new HttpClient(server.base).get('/healthz');
    const keepAliveMs = Number(/timeout=(\d+)/.exec(health.headers.get('keep-alive') ?? '')?.[1] ?? Number.NaN) * 1000;
    expect(keepAliveMs).toBeGreaterThan(0);
    const received = (server.output.match(/"url":"\/api\/v1\/sessions"/g) ?? []).length;
    let answered = 0;
    const requests: Promise<Answer>[] = Array.from({ length: signIns }, () =>
      new HttpClient(server.base)
        .post('/api/v1/sessions', { email: operatorEmail, password: operatorPassword })
        .then((reply) => {
          answered += 1;
          return { reply };
        })
        .catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) })),
    );
    // Every sign-in has reached the server (its "incoming request" line is logged).
    await server.waitForOutput('"url":"/api/v1/sessions"', received + signIns);
    const inFlightAtSignal = signIns - answered;
    const signalledAt = Date.now();
    server.signal('SIGTERM');
    await server.waitForOutput('shutting down');

    // A request that arrives now is not served: refused, or turned away with 503 while draining.
    let late: string;
    try {
      late = String((await new HttpClient(server.base).post('/api/v1/sessions', { email: operatorEmail, password: operatorPassword })).status);
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      late = 'refused';
    }
    expect(['refused', '503']).toContain(late);

    const answers = await Promise.all(requests);
    const answeredMs = Date.now() - signalledAt;
    const exit = await server.exited;
    const exitMs = Date.now() - signalledAt;
    expect(answers.map((a) => ('reply' in a ? a.reply.status : a.error))).toEqual(Array.from({ length: signIns }, () => 201));
    expect(answers.every((a) => 'reply' in a && a.reply.headers.getSetCookie().some((c) => c.startsWith('tierlink_session=')))).toBe(true);
    // The drain was real: some of them were still running when the signal came.
    expect(inFlightAtSignal).toBeGreaterThan(0);
    expect(exit).toEqual({ code: 0, signal: null });
    // Connections left idle by the drained requests do not hold the exit until they time out (the
    // client would drop them a second before the server's keep-alive timeout: half is the bound).
    expect(exitMs).toBeLessThan(keepAliveMs / 2);
    expect(server.output).toContain('"exit":0');

    // After the exit nobody listens on the port any more.
    await expect(new HttpClient(server.base).get('/healthz')).rejects.toBeInstanceOf(NoAnswer);
    reportFigures('CRASH-05', { signIns, inFlightAtSignal, lateRequest: late, exitCode: exit.code ?? -1, answeredMs, exitMs });
  }, 300_000);
});

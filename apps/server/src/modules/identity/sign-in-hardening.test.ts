import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minutes } from '../../platform/clock.ts';
import { buildSecondApp, createCustomer, createTestContext, expectOk, password, type OrgHandle, type TestContext } from '../../../test/harness.ts';

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: number | null;
}

// AUTH-02 password policy, AUTH-07 throttling (per IP + account, per account, shared by every
// process on the database: RATE-01), AUTH-08 identical answers.
describe('sign-in hardening', () => {
  let t: TestContext;
  let customer: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    customer = await createCustomer(t, 'Hardened Co');
  });
  afterAll(() => t.close());

  async function attempt(email: string, pass: string, ip: string, app = t.app): Promise<Answer> {
    const response = await app.inject({ method: 'POST', url: '/api/v1/sessions', remoteAddress: ip, payload: { email, password: pass } });
    const body = JSON.parse(response.body) as { code?: string };
    const retry = response.headers['retry-after'];
    return { status: response.statusCode, code: body.code, retryAfter: retry === undefined ? null : Number(retry) };
  }

  it('AUTH-02: 8 to 128 characters, no composition rules, common and breached passwords refused, nothing truncated', async () => {
    const signUp = (pass: string, n: number) =>
      t.client().post<{ code: string; field: string }>('/api/v1/organizations', {
        organization: { name: `Policy ${n}`, domain: `policy-${n}.test`, country: 'US' },
        admin: { displayName: 'Admin', email: `admin@policy-${n}.test`, password: pass },
      });
    const short = await signUp('seven77', 1);
    expect([short.status, short.body.code, short.body.field]).toEqual([400, 'validation_failed', 'admin.password']);
    for (const [n, common] of [[2, 'password1'], [3, 'qwerty123'], [4, 'Iloveyou'], [5, 'baseball']] as const) {
      const answer = await signUp(common, n);
      expect([answer.status, answer.body.code, answer.body.field], common).toEqual([400, 'password_too_common', 'admin.password']);
    }
    expect((await signUp('lowercase only words', 6)).status).toBe(201);
    expect((await signUp('x'.repeat(129), 7)).status).toBe(400);
    const long = `${'ä'.repeat(30)}${'z'.repeat(40)}`;
    expect((await signUp(long, 8)).status).toBe(201);
    // 100 bytes set; the first 72 bytes must not sign in (no bcrypt-style truncation).
    expect(Buffer.byteLength(long)).toBe(100);
    const truncated = Buffer.from(long).subarray(0, 72).toString();
    expect((await attempt('admin@policy-8.test', truncated, '10.0.0.8')).code).toBe('invalid_credentials');
    expect((await attempt('admin@policy-8.test', long, '10.0.0.8')).status).toBe(201);

    const changed = await customer.admin.post<{ code: string; field: string }>('/api/v1/me/password', { currentPassword: password, newPassword: 'sunshine' });
    expect([changed.status, changed.body.code, changed.body.field]).toEqual([400, 'password_too_common', 'newPassword']);
  });

  it('AUTH-07: the 10th consecutive failure from one IP blocks that IP for the account, with a doubling backoff; others still sign in', async () => {
    const email = customer.adminEmail;
    for (let i = 1; i <= 10; i += 1) expect((await attempt(email, `wrong guess ${i}`, '10.0.1.1')).code).toBe('invalid_credentials');
    const blocked = await attempt(email, password, '10.0.1.1');
    expect([blocked.status, blocked.code]).toEqual([429, 'rate_limited']);
    expect(blocked.retryAfter).toBe(60);
    // The owner elsewhere is not locked out by the attacker (malicious lockout).
    expect((await attempt(email, password, '10.0.1.2')).status).toBe(201);

    t.clock.advance(minutes(1) + 1000);
    expect((await attempt(email, 'wrong guess 11', '10.0.1.1')).code).toBe('invalid_credentials');
    expect((await attempt(email, password, '10.0.1.1')).retryAfter).toBe(120);
    t.clock.advance(minutes(2) + 1000);
    expect((await attempt(email, password, '10.0.1.1')).status).toBe(201);
    // A success ends the consecutive count.
    for (let i = 1; i <= 9; i += 1) await attempt(email, `wrong again ${i}`, '10.0.1.1');
    expect((await attempt(email, password, '10.0.1.1')).status).toBe(201);
  });

  it('AUTH-07: thirty wrong passwords sent at once for one account get exactly ten answers, then 429', async () => {
    const target = await createCustomer(t, 'Raced Co');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(target.adminEmail, `parallel guess ${i}`, '10.4.0.1')));
    const codes = answers.map((a) => a.code);
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(10);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(20);
    expect(answers.filter((a) => a.status === 429).every((a) => a.retryAfter !== null && a.retryAfter > 0)).toBe(true);
  });

  it('AUTH-07/RATE-01: at most 100 failures an hour per account, counted across IPs and across two processes on one database', async () => {
    const victim = await createCustomer(t, 'Sprayed Co');
    const second = await buildSecondApp(t);
    try {
      for (let i = 0; i < 100; i += 1) {
        const answer = await attempt(victim.adminEmail, `spray ${i}`, `10.2.${Math.floor(i / 5)}.${i % 5}`, i % 2 === 0 ? t.app : second);
        expect(answer.code).toBe('invalid_credentials');
      }
      for (const app of [t.app, second]) {
        const blocked = await attempt(victim.adminEmail, password, '10.3.0.1', app);
        expect([blocked.status, blocked.code]).toEqual([429, 'rate_limited']);
        expect(blocked.retryAfter).toBeGreaterThan(0);
        expect(blocked.retryAfter).toBeLessThanOrEqual(3600);
      }
      t.clock.advance(minutes(61));
      expect((await attempt(victim.adminEmail, password, '10.3.0.1', second)).status).toBe(201);
    } finally {
      await second.close();
    }
  });

  it('AUTH-08: unknown and known emails answer alike, throttling included', async () => {
    const known = await createCustomer(t, 'Known Co');
    const answers: Answer[][] = [[], []];
    for (let i = 1; i <= 11; i += 1) {
      answers[0]?.push(await attempt(known.adminEmail, `bad ${i}`, '10.4.0.1'));
      answers[1]?.push(await attempt('nobody@unknown.test', `bad ${i}`, '10.4.0.1'));
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.at(-1)?.status).toBe(429);
    expect(expectOk(await known.admin.get<{ user: { email: string } }>('/api/v1/me')).user.email).toBe(known.adminEmail);
  });
});

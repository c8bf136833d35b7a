import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { minutes } from '../../platform/clock.ts';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  enrollMfa,
  errorCodeOf,
  expectOk,
  isCompatiblePath,
  password,
  queryRows,
  signIn,
  totpCode,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
}
interface Added {
  user: { id: string; email: string };
  temporaryPassword: string;
}

const codeAt = (seed: string, at: Date) => new TOTP({ secret: Secret.fromBase32(seed), digits: 6, period: 30 }).generate({ timestamp: at.getTime() });

// AUTH-05/06: MFA for every partner and operator user; TOTP with replay refusal; recovery codes.
describe('MFA', () => {
  let t: TestContext;
  let operator: Client;
  let partner: OrgHandle;
  let documented: { method: string; path: string }[];

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    partner = await createPartner(t, operator, 'Factor Partner', 'indirect_reseller');
    const spec = expectOk(await t.client().get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json'));
    documented = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path })));
  });
  afterAll(() => t.close());

  /** A new partner user past the forced password change, still without MFA. */
  async function newUser(email: string): Promise<Client> {
    const added = expectOk(await partner.admin.post<Added>('/api/v1/users', { displayName: email, email, roles: ['admin_agent'] }), 201);
    const client = await signIn(t, email, added.temporaryPassword);
    expect((await client.post('/api/v1/me/password', { currentPassword: added.temporaryPassword, newPassword: password })).status).toBe(204);
    return client;
  }

  it('AUTH-05: without MFA a partner session reaches only /me, /me/password, /me/mfa/* and sign-out — on every route', async () => {
    const client = await newUser('nomfa@factor.test');
    expect(expectOk(await client.get<{ mfaEnrollmentRequired: boolean }>('/api/v1/me')).mfaEnrollmentRequired).toBe(true);
    const open = new Set(['GET /api/v1/me', 'POST /api/v1/me/password', 'POST /api/v1/me/mfa/totp', 'POST /api/v1/me/mfa/totp/confirm', 'DELETE /api/v1/sessions']);
    const publicRoutes = new Set(['POST /api/v1/organizations', 'POST /api/v1/sessions', 'GET /api/v1/invitations/{id}', 'POST /api/v1/invitations/{id}/decline', 'POST /api/v1/enrollments/{id}/verify-email']);
    let gated = 0;
    for (const { method, path } of documented) {
      const key = `${method} ${path}`;
      if (open.has(key) || publicRoutes.has(key)) continue;
      const url = path.replaceAll(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const answer = await client.request<Problem>(method as 'GET', url, method === 'GET' ? undefined : {});
      // The Partner Center–compatible API takes no session at all: the token endpoint is public, the rest 401.
      if (key === 'POST /oauth2/token') continue;
      if (isCompatiblePath(path)) {
        expect([answer.status, errorCodeOf(answer)], key).toEqual([401, 'unauthenticated']);
        continue;
      }
      expect([answer.status, answer.body.code], key).toEqual([403, 'mfa_enrollment_required']);
      gated += 1;
    }
    expect(gated).toBeGreaterThan(40);

    // API keys are app-only and exempt; customers are not required to use MFA.
    const key = expectOk(await (await signIn(t, partner.adminEmail)).post<{ secret: string }>('/api/v1/api-keys', { name: 'automation', roles: ['admin_agent'] }), 201);
    const automation = t.client();
    automation.apiKey = key.secret;
    expect((await automation.get('/api/v1/customers')).status).toBe(200);
    const customer = await createCustomer(t, 'Factor Customer');
    expect((await customer.admin.get('/api/v1/partners')).status).toBe(200);
  });

  it('AUTH-06: setup gives a QR-ready URI; a wrong code is refused; the right one turns MFA on and ends other sessions', async () => {
    const email = 'setup@factor.test';
    const client = await newUser(email);
    const other = t.client();
    expect((await other.post('/api/v1/sessions', { email, password })).status).toBe(201);
    const started = expectOk(await client.post<{ secret: string; otpauthUri: string }>('/api/v1/me/mfa/totp'), 201);
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(started.otpauthUri);
    expect([uri.protocol, uri.host, uri.searchParams.get('issuer'), uri.searchParams.get('secret')]).toEqual(['otpauth:', 'totp', 'Tierlink', started.secret]);
    expect(decodeURIComponent(uri.pathname)).toContain(email);

    const wrong = await client.post<Problem>('/api/v1/me/mfa/totp/confirm', { code: '000000' === codeAt(started.secret, t.clock.now()) ? '111111' : '000000' });
    expect([wrong.status, wrong.body.code, wrong.body.field]).toEqual([400, 'validation_failed', 'code']);
    const stale = await client.post<Problem>('/api/v1/me/mfa/totp/confirm', { code: codeAt(started.secret, new Date(t.clock.now().getTime() - minutes(2))) });
    expect(stale.status).toBe(400);
    const confirmed = expectOk(await client.post<{ recoveryCodes: string[] }>('/api/v1/me/mfa/totp/confirm', { code: codeAt(started.secret, t.clock.now()) }));
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);

    expect(expectOk(await client.get<{ mfaEnrollmentRequired: boolean; user: { mfaEnrolled: boolean } }>('/api/v1/me')).user.mfaEnrolled).toBe(true);
    expect((await client.get('/api/v1/customers')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    const again = await client.post<Problem>('/api/v1/me/mfa/totp');
    expect([again.status, again.body.code]).toEqual([409, 'mfa_already_enrolled']);

    // The seed is stored sealed, the recovery codes only as hashes.
    const rows = await queryRows<Record<string, unknown>>(t, sql`select u.*, r.code_hash from users u join mfa_recovery_codes r on r.user_id = u.id where u.email = ${email}`);
    expect(rows).toHaveLength(10);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(started.secret);
    for (const code of confirmed.recoveryCodes) expect(dump).not.toContain(code);
  });

  it('AUTH-06: sign-in needs a current code; ±1 step is accepted, a used or older code is a replay, ±2 steps are refused', async () => {
    const email = 'codes@factor.test';
    const client = await newUser(email);
    const started = expectOk(await client.post<{ secret: string }>('/api/v1/me/mfa/totp'), 201);
    t.clock.advance(minutes(10));
    expectOk(await client.post('/api/v1/me/mfa/totp/confirm', { code: codeAt(started.secret, t.clock.now()) }));
    const attempt = (totp?: string) => t.client().post<Problem>('/api/v1/sessions', { email, password, ...(totp === undefined ? {} : { totpCode: totp }) });
    const step = 30_000;

    const missing = await attempt();
    expect([missing.status, missing.body.code]).toEqual([401, 'mfa_required']);
    expect(missing.headers['set-cookie']).toBeUndefined();
    t.clock.advance(step);
    const now = t.clock.now().getTime();
    expect((await attempt(codeAt(started.secret, new Date(now + 2 * step)))).body.code).toBe('invalid_mfa_code');
    expect((await attempt(codeAt(started.secret, new Date(now - 2 * step)))).body.code).toBe('invalid_mfa_code');
    const current = codeAt(started.secret, new Date(now));
    expect((await attempt(current)).status).toBe(201);
    const replay = await attempt(current);
    expect([replay.status, replay.body.code]).toEqual([401, 'invalid_mfa_code']);
    // The previous step is older than the one used: a replay too. The next step is still fresh.
    expect((await attempt(codeAt(started.secret, new Date(now - step)))).body.code).toBe('invalid_mfa_code');
    expect((await attempt(codeAt(started.secret, new Date(now + step)))).status).toBe(201);
  });

  it('AUTH-06: at most 5 wrong codes per challenge, then 429 with Retry-After even for the right code', async () => {
    const email = 'brute@factor.test';
    const client = await newUser(email);
    await enrollMfa(t, client, email);
    t.clock.advance(minutes(1));
    for (let i = 0; i < 5; i += 1) {
      const wrong = await t.client().post<Problem>('/api/v1/sessions', { email, password, totpCode: String(100000 + i) });
      expect(wrong.body.code).toBe('invalid_mfa_code');
    }
    const blocked = await t.client().post<Problem>('/api/v1/sessions', { email, password, totpCode: totpCode(t, email) });
    expect([blocked.status, blocked.body.code]).toEqual([429, 'rate_limited']);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(minutes(5));
    expect((await signIn(t, email)).cookie).not.toBeNull();
  });

  it('recovery codes sign in once each; an admin resets a lost authenticator and the user sets it up again', async () => {
    const email = 'lost@factor.test';
    const client = await newUser(email);
    const codes = await enrollMfa(t, client, email);
    const first = codes[0] ?? '';
    const viaRecovery = await t.client().post('/api/v1/sessions', { email, password, recoveryCode: first.toUpperCase() });
    expect(viaRecovery.status).toBe(201);
    const reused = await t.client().post<Problem>('/api/v1/sessions', { email, password, recoveryCode: first });
    expect([reused.status, reused.body.code]).toEqual([401, 'invalid_mfa_code']);

    const user = expectOk(await partner.admin.get<{ items: { id: string; email: string }[] }>('/api/v1/users?limit=200')).items.find((u) => u.email === email);
    if (user === undefined) throw new Error('user not listed');
    const admin = await signIn(t, partner.adminEmail);
    expect((await admin.delete(`/api/v1/users/${user.id}/mfa`)).status).toBe(204);
    expect((await client.get('/api/v1/me')).status).toBe(401);
    const fresh = t.client();
    expect((await fresh.post('/api/v1/sessions', { email, password })).status).toBe(201);
    expect((await fresh.get<Problem>('/api/v1/customers')).body.code).toBe('mfa_enrollment_required');
    await enrollMfa(t, fresh, email);
    expect((await fresh.get('/api/v1/customers')).status).toBe(200);
    // Another organization's user is not in reach.
    expect((await operator.delete(`/api/v1/users/${user.id}/mfa`)).status).toBe(404);
  });

  it('no per-user exemption exists: the users table has no column to switch MFA off', async () => {
    const columns = await queryRows<{ column_name: string }>(t, sql`select column_name from information_schema.columns where table_name = 'users'`);
    expect(columns.map((c) => c.column_name).filter((c) => /exempt|skip|bypass|mfa_(disabled|optional|required)/.test(c))).toEqual([]);
  });
});

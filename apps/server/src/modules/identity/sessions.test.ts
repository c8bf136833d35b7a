import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { permissionsOf } from '@tierlink/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInTransaction } from '../../platform/unit-of-work.ts';
import { hours, minutes } from '../../platform/clock.ts';
import { bootstrapOperator } from '../organizations/index.ts';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  password,
  publicUrl,
  queryRows,
  signIn,
  type Client,
  type TestContext,
} from '../../../test/harness.ts';

interface Problem {
  code: string;
  field?: string;
  requestId: string;
}

describe('identity: sign-up, sessions, CSRF, API keys', () => {
  let t: TestContext;
  let operator: Client;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
  });
  afterAll(() => t.close());

  it('sign-up creates a customer organization whose admin is signed in with a safe cookie', async () => {
    const client = t.client();
    const reply = await client.post<{ organization: { kind: string }; user: { roles: string[] } }>('/api/v1/organizations', {
      organization: { name: 'Fresh Org', domain: 'Fresh-Org.test', country: 'us' },
      admin: { displayName: 'Fresh Admin', email: 'Admin@Fresh-Org.test', password },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.organization.kind).toBe('customer');
    expect(reply.body.user.roles).toEqual(['global_admin']);
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = expectOk(await client.get<{ user: { email: string }; organization: { domain: string; country: string } }>('/api/v1/me'));
    expect(me.user.email).toBe('admin@fresh-org.test');
    expect(me.organization).toMatchObject({ domain: 'fresh-org.test', country: 'US' });

    const sameDomain = await t.client().post<Problem>('/api/v1/organizations', {
      organization: { name: 'Again', domain: 'fresh-org.test', country: 'US' },
      admin: { displayName: 'A', email: 'other@elsewhere.test', password },
    });
    expect([sameDomain.status, sameDomain.body.code, sameDomain.body.field]).toEqual([409, 'domain_taken', 'organization.domain']);
    const sameEmail = await t.client().post<Problem>('/api/v1/organizations', {
      organization: { name: 'Again', domain: 'again.test', country: 'US' },
      admin: { displayName: 'A', email: 'ADMIN@fresh-org.test', password },
    });
    expect([sameEmail.status, sameEmail.body.code]).toEqual([409, 'email_taken']);
    for (const bad of ['short', 'x'.repeat(129)]) {
      const weak = await t.client().post<Problem>('/api/v1/organizations', {
        organization: { name: 'Weak', domain: 'weak.test', country: 'US' },
        admin: { displayName: 'A', email: 'a@weak.test', password: bad },
      });
      expect([weak.status, weak.body.field]).toEqual([400, 'admin.password']);
    }
  });

  it('AUTH-08: unknown email, wrong password and a disabled user answer alike', async () => {
    const partner = await createPartner(t, operator, 'Enum Partner', 'indirect_reseller');
    await t.db.execute(sql`update users set status = 'disabled' where email = ${partner.adminEmail}`);
    const answers = await Promise.all([
      t.client().post<Problem>('/api/v1/sessions', { email: 'nobody@nowhere.test', password }),
      t.client().post<Problem>('/api/v1/sessions', { email: 'ops@operator.test', password: 'wrong password!' }),
      t.client().post<Problem>('/api/v1/sessions', { email: partner.adminEmail, password }),
    ]);
    const shapes = answers.map((a) => ({ status: a.status, body: { ...a.body, requestId: '' } }));
    expect(shapes[0]).toEqual(shapes[1]);
    expect(shapes[1]).toEqual(shapes[2]);
    expect(shapes[0]?.status).toBe(401);
    expect(shapes[0]?.body.code).toBe('invalid_credentials');
    // Disabling ends the open session too.
    expect((await partner.admin.get('/api/v1/me')).status).toBe(401);
  });

  it('AUTH-09: a new session per sign-in, server-side sign-out, idle and absolute limits', async () => {
    const customer = await createCustomer(t, 'Session Customer');
    const a = await signIn(t, customer.adminEmail);
    const b = await signIn(t, customer.adminEmail);
    expect(a.cookie).not.toBe(b.cookie);
    expect(a.cookie).not.toBe(customer.admin.cookie);
    const stale = a.cookie;
    expect((await a.delete('/api/v1/sessions')).status).toBe(204);
    const replay = t.client();
    replay.cookie = stale;
    expect((await replay.get('/api/v1/me')).status).toBe(401);
    expect((await b.get('/api/v1/me')).status).toBe(200);
    // The table holds only hashes of cookie values.
    const value = (b.cookie ?? '').split('=')[1] ?? '';
    const stored = await queryRows<{ id: string }>(t, sql`select id from sessions`);
    expect(stored.some((s) => s.id === value)).toBe(false);
    expect(stored.some((s) => s.id === createHash('sha256').update(value).digest('hex'))).toBe(true);

    t.clock.advance(hours(2) + minutes(1));
    expect((await b.get('/api/v1/me')).status).toBe(401);
    const c = await signIn(t, customer.adminEmail);
    // Active every 1 h 50 min: never idle, but 12 h after sign-in the session ends anyway.
    for (let i = 0; i < 6; i += 1) {
      t.clock.advance(hours(1) + minutes(50));
      expect((await c.get('/api/v1/me')).status).toBe(200);
    }
    t.clock.advance(hours(1) + minutes(50));
    expect((await c.get('/api/v1/me')).status).toBe(401);
    operator = await signIn(t, 'ops@operator.test');
  });

  it('/me lists exactly the permissions of the caller\'s roles', async () => {
    const partner = await createPartner(t, operator, 'Me Partner', 'indirect_provider');
    const me = expectOk(await partner.admin.get<{ permissions: string[]; user: { roles: string[] } }>('/api/v1/me'));
    expect(me.user.roles).toEqual(['global_admin', 'admin_agent']);
    expect(me.permissions).toEqual(
      permissionsOf({ roles: ['global_admin', 'admin_agent'], organizationKind: 'partner', approvedPrograms: ['indirect_provider'] }),
    );
    expect(me.permissions).toContain('partnerships.invite');
  });

  it('password change: checks the current one and ends the other sessions', async () => {
    const customer = await createCustomer(t, 'Password Customer');
    const other = await signIn(t, customer.adminEmail);
    const wrong = await customer.admin.post<Problem>('/api/v1/me/password', { currentPassword: 'not it at all', newPassword: 'a brand new secret' });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'invalid_credentials']);
    expect((await customer.admin.post('/api/v1/me/password', { currentPassword: password, newPassword: 'a brand new secret' })).status).toBe(204);
    expect((await customer.admin.get('/api/v1/me')).status).toBe(200);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    await signIn(t, customer.adminEmail, 'a brand new secret');
  });

  it('CSRF: cookie-authenticated writes must come from the portal\'s origin', async () => {
    const customer = await createCustomer(t, 'Csrf Customer');
    const body = { name: 'k', roles: ['global_admin'] };
    const foreign = await customer.admin.post<Problem>('/api/v1/api-keys', body, { origin: 'https://evil.example' });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'csrf_origin_mismatch']);
    const missing = await customer.admin.request<Problem>('POST', '/api/v1/api-keys', body, { origin: '' });
    expect(missing.status).toBe(403);
    expect((await customer.admin.post('/api/v1/api-keys', body, { origin: publicUrl })).status).toBe(201);
    const loginFromElsewhere = await t.client().post<Problem>('/api/v1/sessions', { email: customer.adminEmail, password }, { origin: 'https://evil.example' });
    expect(loginFromElsewhere.status).toBe(403);
  });

  it('API keys: secret shown once, stored hashed, act for the organization, dead once revoked', async () => {
    const partner = await createPartner(t, operator, 'Key Partner', 'indirect_reseller');
    const created = expectOk(
      await partner.admin.post<{ apiKey: { id: string; prefix: string }; secret: string }>('/api/v1/api-keys', { name: 'ci', roles: ['admin_agent'] }),
      201,
    );
    expect(created.secret.startsWith('tl_')).toBe(true);
    const listed = await partner.admin.get('/api/v1/api-keys');
    expect(listed.raw).not.toContain(created.secret);
    const stored = await queryRows<{ secret_hash: string }>(t, sql`select secret_hash from api_keys where id = ${created.apiKey.id}`);
    expect(stored[0]?.secret_hash).toBe(createHash('sha256').update(created.secret).digest('hex'));

    const bot = t.client();
    bot.apiKey = created.secret;
    const me = expectOk(await bot.get<{ apiKey: { id: string }; permissions: string[] }>('/api/v1/me'));
    expect(me.apiKey.id).toBe(created.apiKey.id);
    expect(me.permissions).not.toContain('api_keys.manage');
    // No Origin needed for a key; no role above the creator's.
    expect((await bot.post('/api/v1/customer-invitations', { email: 'x@bot.test' })).status).toBe(201);
    // A key cannot mint keys (global admins only), whatever roles it asks for.
    const minted = await bot.post<Problem>('/api/v1/api-keys', { name: 'from a key', roles: ['admin_agent'] });
    expect([minted.status, minted.body.code]).toEqual([403, 'forbidden']);

    expectOk(await partner.admin.delete(`/api/v1/api-keys/${created.apiKey.id}`));
    expect((await bot.get('/api/v1/me')).status).toBe(401);
    const junk = await partner.admin.get('/api/v1/me', { authorization: 'Bearer tl_not-a-real-key-at-all' });
    expect(junk.status).toBe(401);
  });

  it('bootstrap creates the first operator once', async () => {
    const again = await runInTransaction(t.uow, null, 'test', (ctx) => bootstrapOperator(ctx, { email: 'second@operator.test', password }));
    expect(again).toBeNull();
    const operators = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from organizations where kind = 'operator'`);
    expect(operators[0]?.n).toBe(1);
  });
});

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  password,
  publicUrl,
  queryRows,
  signIn,
  totpCode,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';
import { guessScope } from './guess-throttle.ts';
import { sweepThrottles } from './sweep-throttles.ts';

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: number | null;
}

/** One request from a given client address (the socket's), with the client's session when given. */
async function from(
  t: TestContext,
  ip: string,
  method: 'GET' | 'POST',
  url: string,
  body?: object,
  options: { client?: Client; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (method === 'POST') headers['origin'] = publicUrl;
  const cookie = options.client?.cookie ?? null;
  if (cookie !== null) headers['cookie'] = cookie;
  const response = await t.app.inject({ method, url, remoteAddress: ip, headers, ...(body === undefined ? {} : { payload: body }) });
  const parsed = JSON.parse(response.body) as { code?: string };
  const retry = response.headers['retry-after'];
  return { status: response.statusCode, code: parsed.code, retryAfter: retry === undefined ? null : Number(retry) };
}

const wrongToken = (n: number) => `wrong-token-${n}-${'x'.repeat(30)}`;

// RATE-03: token-guessing endpoints allow at most 10 wrong or unknown tokens per client address
// and minute, then answer 429 with Retry-After until the minute is over. Right tokens never count.
describe('token-guessing limits (RATE-03)', () => {
  let t: TestContext;
  let operator: Client;
  let reseller: OrgHandle;
  let customer: OrgHandle;

  /** A fresh pending invitation of the reseller to the customer's admin. */
  const invite = async (email = customer.adminEmail) =>
    issuedFrom(expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email }), 201) as never);

  beforeAll(async () => {
    t = await createTestContext({ limits: { invitationQuota: { perOrganizationPerHour: 50, perRecipientPerDay: 50 } } });
    operator = await createOperator(t);
    reseller = await createPartner(t, operator, 'Guess Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Guess Customer');
  });
  afterAll(() => t.close());

  it('invitation preview: the 11th wrong token of a minute gets 429 with Retry-After, even a right one then; other addresses are not affected', async () => {
    const issued = await invite();
    const ip = '198.51.100.1';
    for (let i = 0; i < 10; i += 1) {
      expect(await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${wrongToken(i)}`)).toMatchObject({ status: 404, code: 'invitation_not_found' });
    }
    t.clock.advance(20_000);
    const blocked = await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${wrongToken(10)}`);
    expect(blocked).toEqual({ status: 429, code: 'rate_limited', retryAfter: 40 });
    expect(await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${issued.token}`)).toMatchObject({ status: 429, code: 'rate_limited' });
    // Another address still opens the link.
    expect((await from(t, '198.51.100.2', 'GET', `/api/v1/invitations/${issued.id}?token=${issued.token}`)).status).toBe(200);
    // Once the minute is over, the address may try again.
    t.clock.advance(40_000);
    expect((await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${issued.token}`)).status).toBe(200);
  });

  it('right tokens never count: 30 previews of a valid link, then still 10 wrong tokens before the block', async () => {
    const issued = await invite();
    const ip = '198.51.100.3';
    for (let i = 0; i < 30; i += 1) expect((await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${issued.token}`)).status).toBe(200);
    for (let i = 0; i < 10; i += 1) expect((await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${wrongToken(i)}`)).status).toBe(404);
    expect((await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${wrongToken(99)}`)).status).toBe(429);
    t.clock.advance(60_000);
  });

  it('30 wrong tokens at once: exactly 10 are checked, 20 get 429 (a guess holds its place while it runs)', async () => {
    const issued = await invite();
    const ip = '198.51.100.4';
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${wrongToken(i)}`)));
    expect(answers.filter((a) => a.status === 404)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 429 && a.code === 'rate_limited' && a.retryAfter !== null && a.retryAfter > 0)).toHaveLength(20);
    t.clock.advance(60_000);
  });

  it('accept, decline, sign-up with an invitation and email verification count against the same address', async () => {
    const issued = await invite();
    const ip = '198.51.100.5';
    // Three kinds of wrong invitation tokens: accept (signed in), decline, sign-up from an invitation.
    for (let i = 0; i < 4; i += 1) {
      const accept = await from(t, ip, 'POST', `/api/v1/invitations/${issued.id}/accept`, { token: wrongToken(i), consent: true }, { client: customer.admin });
      expect(accept).toMatchObject({ status: 404, code: 'invitation_not_found' });
    }
    for (let i = 0; i < 4; i += 1) {
      expect(await from(t, ip, 'POST', `/api/v1/invitations/${issued.id}/decline`, { token: wrongToken(i) })).toMatchObject({ status: 404, code: 'invitation_not_found' });
    }
    const signUp = (n: number, token: string) =>
      from(t, ip, 'POST', '/api/v1/organizations', {
        organization: { name: `Guessing ${n}`, domain: `guessing-${n}.test`, country: 'US' },
        admin: { displayName: 'Admin', email: customer.adminEmail.replace('@', `+${n}@`), password },
        invitation: { id: issued.id, token },
      });
    for (let i = 0; i < 2; i += 1) expect(await signUp(i, wrongToken(i))).toMatchObject({ status: 403, code: 'invitation_email_mismatch' });
    // Ten so far; email verification with an unknown enrollment id is the eleventh.
    const verify = await from(t, ip, 'POST', '/api/v1/enrollments/00000000-0000-4000-8000-000000000001/verify-email', { token: wrongToken(0) });
    expect(verify).toMatchObject({ status: 429, code: 'rate_limited' });
    // The invitation is untouched, and the right token works from the invitee's own address.
    const accepted = await from(t, '198.51.100.6', 'POST', `/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }, { client: customer.admin });
    expect(accepted.status).toBe(200);
    t.clock.advance(60_000);
  });

  it('email verification and membership sign-in: wrong tokens and passwords count; other refusals do not', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 10; i += 1) {
      expect(await from(t, ip, 'POST', `/api/v1/enrollments/00000000-0000-4000-8000-00000000000${i}/verify-email`, { token: wrongToken(i) })).toMatchObject({ status: 404 });
    }
    expect((await from(t, ip, 'POST', '/api/v1/enrollments/00000000-0000-4000-8000-000000000010/verify-email', { token: wrongToken(10) })).status).toBe(429);

    // Membership sign-in, by a signed-in global admin of a partner organization that enrolls.
    const enrolling = t.client();
    expectOk(
      await enrolling.post('/api/v1/organizations', {
        organization: { name: 'Guess Enrolling', domain: 'guess-enrolling.test', country: 'US' },
        admin: { displayName: 'Admin', email: 'admin@guess-enrolling.test', password },
      }),
      201,
    );
    const other = '198.51.100.8';
    for (let i = 0; i < 10; i += 1) {
      const answer = await from(t, other, 'POST', '/api/v1/enrollments/membership-sign-in', { accountEmail: `nobody${i}@registry.test`, accountPassword: 'not the password' }, { client: enrolling });
      expect(answer, `attempt ${i}`).toMatchObject({ status: 401, code: 'invalid_credentials' });
    }
    expect(await from(t, other, 'POST', '/api/v1/enrollments/membership-sign-in', { accountEmail: 'nobody@registry.test', accountPassword: 'not the password' }, { client: enrolling })).toMatchObject({ status: 429 });
    // A malformed request is no guess: it never reaches the limiter's count.
    t.clock.advance(60_000);
    for (let i = 0; i < 12; i += 1) {
      expect((await from(t, '198.51.100.9', 'POST', `/api/v1/enrollments/not-a-uuid/verify-email`, { token: wrongToken(i) })).status).toBe(400);
    }
    expect((await from(t, '198.51.100.9', 'POST', `/api/v1/enrollments/00000000-0000-4000-8000-000000000001/verify-email`, { token: 'x' })).status).toBe(404);
  });

  it('MFA: wrong codes of different users from one address share the 10; the 5 per challenge still holds; passwords do not count', async () => {
    const users: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const p = await createPartner(t, operator, `Guess MFA ${i}`, 'indirect_reseller');
      users.push(p.adminEmail);
    }
    t.clock.advance(60_000);
    const ip = '198.51.100.10';
    const signInWith = (email: string, totp?: string) => from(t, ip, 'POST', '/api/v1/sessions', { email, password, ...(totp === undefined ? {} : { totpCode: totp }) });
    // Wrong passwords are the sign-in throttle's business, not this one's.
    for (let i = 0; i < 5; i += 1) expect((await from(t, ip, 'POST', '/api/v1/sessions', { email: `nobody${i}@guess.test`, password: 'not it at all' })).code).toBe('invalid_credentials');
    // 4 + 4 wrong codes for two users (under their 5 per challenge), then 2 for the third: 10.
    const [a = '', b = '', c = ''] = users;
    for (const [email, n] of [[a, 4], [b, 4], [c, 2]] as const) {
      for (let i = 0; i < n; i += 1) expect(await signInWith(email, '000000')).toMatchObject({ status: 401, code: 'invalid_mfa_code' });
    }
    expect(await signInWith(c, '000000')).toMatchObject({ status: 429, code: 'rate_limited' });
    // Even the right code waits for the window; from another address it works.
    expect((await signInWith(c, totpCode(t, c))).status).toBe(429);
    expect((await from(t, '198.51.100.11', 'POST', '/api/v1/sessions', { email: c, password, totpCode: totpCode(t, c) })).status).toBe(201);

    // Per challenge (5 minutes from the first wrong code): the 6th code for one user is refused
    // even from fresh addresses.
    t.clock.advance(5 * 60_000);
    for (let i = 0; i < 5; i += 1) {
      expect(await from(t, `203.0.113.${i + 1}`, 'POST', '/api/v1/sessions', { email: a, password, totpCode: '111111' })).toMatchObject({ status: 401 });
    }
    const sixth = await from(t, '203.0.113.50', 'POST', '/api/v1/sessions', { email: a, password, totpCode: totpCode(t, a) });
    expect(sixth.status).toBe(429);
    expect(sixth.retryAfter).toBeGreaterThan(0);
  });

  it('an IPv6 client is its /64 network: rotating the rest of the address does not escape the limit', async () => {
    expect(guessScope('2001:db8:1:2::5')).toBe('2001:db8:1:2::/64');
    expect(guessScope('2001:0DB8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(guessScope('::1')).toBe('0:0:0:0::/64');
    expect(guessScope('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(guessScope('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(guessScope('192.0.2.7')).toBe('192.0.2.7');
    const answers: Answer[] = [];
    for (let i = 0; i < 11; i += 1) {
      answers.push(await from(t, `2001:db8:77:1:${i.toString(16)}::${i + 1}`, 'GET', `/api/v1/invitations/00000000-0000-4000-8000-000000000001?token=${wrongToken(i)}`));
    }
    expect(answers.map((a) => a.status)).toEqual([...Array.from({ length: 10 }, () => 404), 429]);
    // The next /64 is another client.
    expect((await from(t, '2001:db8:77:2::1', 'GET', `/api/v1/invitations/00000000-0000-4000-8000-000000000001?token=${wrongToken(0)}`)).status).toBe(404);
    t.clock.advance(60_000);
  });

  it('the counts live in the database, one row per wrong guess: no address is stored in clear; the sweep removes counts no window uses', async () => {
    const rows = await queryRows<{ key: string }>(t, sql`select key from guess_failures`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.key).toMatch(/^[0-9a-f]{64}$/);
      expect(row.key).not.toContain('198.51.100');
    }
    // A fresh count survives the sweep; a day later every count is gone.
    expect((await from(t, '198.51.100.77', 'GET', `/api/v1/invitations/00000000-0000-4000-8000-000000000001?token=${wrongToken(0)}`)).status).toBe(404);
    await sweepThrottles(t.db, t.clock.now());
    const [fresh] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from guess_failures where window_started_at = ${t.clock.now()}`);
    expect(fresh?.n).toBe(1);
    const [left] = await queryRows<{ n: number }>(t, sql`select (select count(*) from guess_failures) + (select count(*) from sign_in_throttles) as n`);
    t.clock.advance(24 * 60 * 60 * 1000 + 1);
    expect(await sweepThrottles(t.db, t.clock.now())).toBe(Number(left?.n));
    expect(await queryRows(t, sql`select key from sign_in_throttles union all select key from guess_failures`)).toEqual([]);
  });
});

// The success path writes no throttle row (issue 18: a place taken and given back on every
// success made two autocommit writes to one row per client address). Triggers count every row
// written to either throttle table, on PGlite and PostgreSQL alike.
describe('throttles write nothing on success', () => {
  it('previews, acceptances and sign-ins with MFA from one address write no throttle row; a wrong token writes one', async () => {
    const t = await createTestContext();
    try {
      const operator = await createOperator(t);
      const reseller = await createPartner(t, operator, 'Quiet Reseller', 'indirect_reseller');
      const customers = [await createCustomer(t, 'Quiet One'), await createCustomer(t, 'Quiet Two')];
      const invitations = [];
      for (const c of customers) invitations.push({ customer: c, issued: issuedFrom(expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: c.adminEmail }), 201) as never) });
      await t.db.execute(sql`create table throttle_writes (tbl text not null, op text not null)`);
      await t.db.execute(sql.raw(`create function count_throttle_write() returns trigger language plpgsql as $$
        begin insert into throttle_writes values (tg_table_name, tg_op); return null; end $$`));
      for (const table of ['sign_in_throttles', 'guess_failures']) {
        await t.db.execute(sql.raw(`create trigger ${table}_writes after insert or update or delete on ${table} for each row execute function count_throttle_write()`));
      }
      const writes = async () => queryRows<{ tbl: string; op: string }>(t, sql`select tbl, op from throttle_writes`);
      const ip = '198.51.100.200';
      for (const { customer, issued } of invitations) {
        for (let i = 0; i < 5; i += 1) expect((await from(t, ip, 'GET', `/api/v1/invitations/${issued.id}?token=${issued.token}`)).status).toBe(200);
        const accepted = await from(t, ip, 'POST', `/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }, { client: customer.admin });
        expect(accepted.status).toBe(200);
      }
      for (let i = 0; i < 3; i += 1) {
        const signedIn = await from(t, ip, 'POST', '/api/v1/sessions', { email: reseller.adminEmail, password, totpCode: totpCode(t, reseller.adminEmail) });
        expect(signedIn.status).toBe(201);
        t.clock.advance(30_000);
      }
      expect(await writes()).toEqual([]);
      // The triggers do see a failure.
      expect((await from(t, ip, 'GET', `/api/v1/invitations/${invitations[0]?.issued.id ?? ''}?token=${wrongToken(0)}`)).status).toBe(404);
      expect(await writes()).toEqual([{ tbl: 'guess_failures', op: 'INSERT' }]);
    } finally {
      await t.close();
    }
  });
});

// Still signs in: the harness user is unaffected by what other addresses did.
describe('token-guessing limits do not throttle ordinary use', () => {
  it('a user signs in with MFA after addresses elsewhere were blocked', async () => {
    const t = await createTestContext();
    try {
      const operator = await createOperator(t);
      const p = await createPartner(t, operator, 'Ordinary Reseller', 'indirect_reseller');
      for (let i = 0; i < 11; i += 1) await from(t, '192.0.2.1', 'GET', `/api/v1/invitations/00000000-0000-4000-8000-000000000001?token=${wrongToken(i)}`);
      expect((await from(t, '192.0.2.1', 'GET', `/api/v1/invitations/00000000-0000-4000-8000-000000000001?token=x`)).status).toBe(429);
      const again = await signIn(t, p.adminEmail);
      expect((await again.get('/api/v1/me')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

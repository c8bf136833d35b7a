import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../platform/tokens.ts';
import { databaseDigest, tableNames } from '../../../test/fixture.ts';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  queryRows,
  type Client,
  type Issued,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';
import { countLeaks } from '../../../test/proof-counts.ts';

/*
 * INV-01 (entropy), INV-02 (never stored or logged in plaintext), INV-08/09 (scanner-safe link
 * with no-referrer and no-store).
 */

const issue = async (client: Client, url: string, body: Record<string, unknown>): Promise<Issued> =>
  issuedFrom(expectOk(await client.post(url, body), 201) as never);

/** Every value of the database as text: pg_dump on PostgreSQL, every column of every table on PGlite. */
async function databaseText(t: TestContext): Promise<string> {
  if (t.engine === 'postgres') {
    if (t.database.url === null) throw new Error('a PostgreSQL test database has a URL');
    const dump = spawnSync('/usr/lib/postgresql/15/bin/pg_dump', [t.database.url], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
    return dump.stdout;
  }
  const parts: string[] = [];
  for (const table of await tableNames(t)) {
    const columns = await queryRows<{ column_name: string }>(
      t,
      sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table} order by ordinal_position`,
    );
    for (const { column_name } of columns) {
      const rows = await queryRows<{ v: string | null }>(t, sql`select ${sql.identifier(column_name)}::text as v from ${sql.identifier(table)}`);
      for (const r of rows) if (r.v !== null) parts.push(r.v);
    }
  }
  return parts.join('\n');
}

/** The forms a token could take in storage: as sent, URL-encoded, or as bytea hex of its text. */
const forms = (token: string) => [token, encodeURIComponent(token), Buffer.from(token, 'utf8').toString('hex')];

describe('INV-01: invitation tokens are 256 random bits', () => {
  let t: TestContext;
  let reseller: OrgHandle;

  beforeAll(async () => {
    // 1000 invitations in one (manual-clock) hour: far above the sender's quota, which is not what this tests.
    t = await createTestContext({ limits: { invitationQuota: { perOrganizationPerHour: 1000, perRecipientPerDay: 3 } } });
    const operator = await createOperator(t);
    reseller = await createPartner(t, operator, 'Entropy Reseller', 'indirect_reseller');
  });
  afterAll(() => t.close());

  it('1000 tokens: each 32 bytes of base64url, all distinct, bits balanced per position', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 1000; i += 1) {
      tokens.push((await issue(reseller.admin, '/api/v1/customer-invitations', { email: `c${i}@entropy.test` })).token);
    }
    expect(new Set(tokens).size).toBe(1000);
    const ones = new Array<number>(256).fill(0);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const bytes = Buffer.from(token, 'base64url');
      expect(bytes).toHaveLength(32);
      expect(bytes.toString('base64url')).toBe(token);
      for (let bit = 0; bit < 256; bit += 1) ones[bit] = (ones[bit] ?? 0) + (((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1);
    }
    // Random bits: ~500 of 1000 per position (σ ≈ 16); a counter, clock or fixed prefix would sit at 0 or 1000.
    for (const [bit, count] of ones.entries()) {
      expect(count, `bit ${bit}`).toBeGreaterThan(350);
      expect(count, `bit ${bit}`).toBeLessThan(650);
    }
    const total = ones.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 128_000)).toBeLessThan(2_000);
  }, 300_000);
});

describe('INV-02/08/09: tokens leave no trace and links are safe to open', () => {
  let t: TestContext;
  const log: string[] = [];
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let customer: OrgHandle;

  beforeAll(async () => {
    // Everything the app logs, at the most verbose level, lands in `log`.
    t = await createTestContext({ logLevel: 'trace', logSink: (line) => log.push(line) });
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Trace Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Trace Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Trace Customer');
    await connect(provider, reseller);
  });
  afterAll(() => t.close());

  it('INV-02: no raw token in the database (pg_dump / every column) or in the trace log', async () => {
    const tokens: Issued[] = [];
    tokens.push(await issue(reseller.admin, '/api/v1/customer-invitations', { email: customer.adminEmail, send: true }));
    tokens.push(await issue(reseller.admin, '/api/v1/customer-invitations', { email: 'joint@elsewhere.test', indirectProviderId: provider.id, send: true }));
    tokens.push(await issue(reseller.admin, '/api/v1/customer-invitations', { email: 'draft@elsewhere.test', send: false }));
    tokens.push(await issue(provider.admin, '/api/v1/reseller-invitations', { email: 'next@reseller.test' }));
    const declined = await issue(provider.admin, '/api/v1/reseller-invitations', { email: 'no@reseller.test' });
    tokens.push(declined);
    // Tokens travel through every route that takes one: preview, decline, sign-up proof, accept.
    for (const issued of tokens) expect((await t.client().get(`/api/v1/invitations/${issued.id}?token=${encodeURIComponent(issued.token)}`)).status).toBe(200);
    expectOk(await t.client().post(`/api/v1/invitations/${declined.id}/decline`, { token: declined.token }));
    const first = tokens[0];
    if (first === undefined) throw new Error('no invitation');
    expectOk(await customer.admin.post(`/api/v1/invitations/${first.id}/accept`, { token: first.token, consent: true }));
    const signUp = tokens[1];
    if (signUp === undefined) throw new Error('no invitation');
    expect((await t.client().post('/api/v1/organizations', {
      organization: { name: 'Joint Newco', domain: 'joint-newco.test', country: 'US' },
      admin: { displayName: 'Joint Admin', email: 'joint@elsewhere.test', password: 'correct horse battery' },
      invitation: { id: signUp.id, token: signUp.token },
    })).status).toBe(201);
    expect(await t.drainOutbox()).toBeGreaterThanOrEqual(3);
    // One more email left queued: the outbox form must be sealed as well as the delivered one.
    tokens.push(await issue(provider.admin, '/api/v1/reseller-invitations', { email: 'queued@reseller.test' }));

    const text = await databaseText(t);
    // The search is not vacuous: the dump holds every invitation's hash and the delivered emails.
    for (const issued of tokens) expect(text, 'hash stored').toContain(hashToken(issued.token));
    const mail = expectOk(await operator.get<{ items: { text: string }[] }>('/api/v1/mailbox?limit=200'));
    const sentTokens = tokens.filter((i) => mail.items.some((m) => m.text.includes(i.token)));
    expect(sentTokens.length, 'emails carrying a token were delivered (sealed in the database)').toBeGreaterThanOrEqual(3);
    const logged = log.join('\n');
    // Every token in clear, in the database or the log, is a leak (counted for the test:proof summary).
    countLeaks(tokens.reduce((n, issued) => n + forms(issued.token).filter((form) => text.includes(form) || logged.includes(form)).length, 0));
    for (const issued of tokens) {
      for (const form of forms(issued.token)) expect(text.includes(form), `token of ${issued.id} in the database`).toBe(false);
    }

    expect(logged).toContain(`/api/v1/invitations/${declined.id}?token=[redacted]`);
    for (const issued of tokens) {
      for (const form of forms(issued.token)) expect(logged.includes(form), `token of ${issued.id} in the log`).toBe(false);
    }
  });

  it('INV-08/09: GET and HEAD of the link, with or without cookies, change nothing; the real accept still works', async () => {
    const issued = await issue(reseller.admin, '/api/v1/customer-invitations', { email: 'scanned@trace-customer.test', send: true });
    const scanned = await createCustomer(t, 'Scanned Customer');
    const invitee = t.client();
    expectOk(await invitee.post('/api/v1/organizations', {
      organization: { name: 'Scanned Invitee', domain: 'scanned-invitee.test', country: 'US' },
      admin: { displayName: 'Invitee', email: 'scanned@trace-customer.test', password: 'correct horse battery' },
    }), 201);
    const url = `/api/v1/invitations/${issued.id}?token=${encodeURIComponent(issued.token)}`;
    const before = await databaseDigest(t);
    const [auditBefore] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from audit_events`);

    for (let round = 0; round < 5; round += 1) {
      // A mail scanner (no cookies), the invitee's own browser, and someone else's signed-in browser.
      for (const [who, client] of [['scanner', t.client()], ['invitee', invitee], ['other user', scanned.admin]] as const) {
        const cookieBefore = client.cookie;
        for (const method of ['GET', 'HEAD'] as const) {
          const reply = await client.request<{ state: string; id: string }>(method, url);
          const label = `${who} ${method} round ${round}`;
          expect(reply.status, label).toBe(200);
          if (method === 'GET') expect([reply.body.id, reply.body.state], label).toEqual([issued.id, 'pending']);
          expect(reply.headers['referrer-policy'], label).toBe('no-referrer');
          expect(reply.headers['cache-control'], label).toBe('no-store');
          expect(reply.headers['set-cookie'], label).toBeUndefined();
          expect(reply.headers['request-id'], label).toBeTruthy();
        }
        expect(client.cookie).toBe(cookieBefore);
      }
    }
    const [state] = await queryRows<{ state: string; accepted_at: Date | null }>(t, sql`select state, accepted_at from invitations where id = ${issued.id}`);
    expect(state).toEqual({ state: 'pending', accepted_at: null });
    const [auditAfter] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from audit_events`);
    expect(auditAfter).toEqual(auditBefore);
    expect(await databaseDigest(t)).toBe(before);

    const accepted = await invitee.post<{ invitation: { state: string } }>(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true });
    expect([accepted.status, accepted.body.invitation.state]).toEqual([200, 'accepted']);
    // The link now shows what happened, still without side effects.
    const after = await t.client().get<{ state: string }>(url);
    expect([after.status, after.body.state]).toEqual([200, 'accepted']);
  });
});

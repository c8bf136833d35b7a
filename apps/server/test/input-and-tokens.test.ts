import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
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
} from './harness.ts';

/** Row counts of every table: "nothing was written" means these do not move. */
async function rowCounts(t: TestContext): Promise<Record<string, number>> {
  const tables = await queryRows<{ table_name: string }>(
    t,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    if (table_name === 'sessions') continue; // reading with a cookie may touch last_seen_at, never add rows
    const [row] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from ${sql.identifier(table_name)}`);
    counts[table_name] = row?.n ?? -1;
  }
  return counts;
}

describe('bad input answers 400/413/415 problem+json, never 5xx, and writes nothing', () => {
  let t: TestContext;
  let operator: Client;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  let invitation: Issued;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Input Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Input Reseller', 'indirect_reseller');
    await connect(provider, reseller);
    invitation = issuedFrom(expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email: 'c@input.test' }), 201) as never);
  });
  afterAll(() => t.close());

  const huge = 'x'.repeat(300 * 1024);
  const json = { 'content-type': 'application/json' };
  type Case = [name: string, who: () => Client, method: 'GET' | 'POST' | 'DELETE', url: string, body: string | undefined, headers: Record<string, string>, status: number, code: string, field?: string];
  const cases = (): Case[] => [
    ['malformed JSON', () => t.client(), 'POST', '/api/v1/sessions', '{"email": "a@b.test", "password": ', json, 400, 'malformed_body'],
    ['not JSON at all', () => reseller.admin, 'POST', '/api/v1/customer-invitations', 'email=a@b.test', json, 400, 'malformed_body'],
    ['wrong content type', () => reseller.admin, 'POST', '/api/v1/customer-invitations', 'email=a@b.test', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['oversized body', () => reseller.admin, 'POST', '/api/v1/customer-invitations', JSON.stringify({ email: 'a@b.test', text: huge }), json, 413, 'body_too_large'],
    ['__proto__ key', () => t.client(), 'POST', '/api/v1/organizations', '{"__proto__": {"isAdmin": true}, "organization": {}}', json, 400, 'malformed_body'],
    ['constructor.prototype key', () => reseller.admin, 'POST', '/api/v1/customer-invitations', '{"email":"a@b.test","constructor":{"prototype":{"isAdmin":true}}}', json, 400, 'malformed_body'],
    ['unknown field', () => reseller.admin, 'POST', '/api/v1/customer-invitations', JSON.stringify({ email: 'a@b.test', organizationId: '00000000-0000-4000-8000-000000000000' }), json, 400, 'validation_failed', 'organizationId'],
    ['wrong type: number for email', () => reseller.admin, 'POST', '/api/v1/customer-invitations', JSON.stringify({ email: 42 }), json, 400, 'validation_failed', 'email'],
    ['wrong type: string for boolean', () => reseller.admin, 'POST', '/api/v1/customer-invitations', JSON.stringify({ email: 'a@b.test', send: 'yes' }), json, 400, 'validation_failed', 'send'],
    ['wrong type: array for id', () => reseller.admin, 'POST', '/api/v1/customer-invitations', JSON.stringify({ email: 'a@b.test', indirectProviderId: [provider.id] }), json, 400, 'validation_failed', 'indirectProviderId'],
    ['null body field', () => reseller.admin, 'POST', `/api/v1/invitations/${invitation.id}/accept`, JSON.stringify({ token: null, consent: true }), json, 400, 'validation_failed', 'token'],
    ['consent as string', () => reseller.admin, 'POST', `/api/v1/invitations/${invitation.id}/accept`, JSON.stringify({ token: invitation.token, consent: 'true' }), json, 400, 'validation_failed', 'consent'],
    ['nested wrong type', () => operator, 'POST', '/api/v1/operator/partners', JSON.stringify({ organization: { name: 'X', domain: 'x.test', country: 7 }, program: 'indirect_reseller', admin: { displayName: 'X', email: 'x@x.test', password: 'long enough pw' } }), json, 400, 'validation_failed', 'organization.country'],
    ['unknown enum value', () => operator, 'POST', '/api/v1/operator/partners', JSON.stringify({ organization: { name: 'X', domain: 'x.test', country: 'US' }, program: 'vendor', admin: { displayName: 'X', email: 'x@x.test', password: 'long enough pw' } }), json, 400, 'validation_failed', 'program'],
    ['attestation missing', () => reseller.admin, 'POST', `/api/v1/customers/${provider.id}/relationship/remove`, JSON.stringify({}), json, 400, 'validation_failed', 'attestation'],
    ['path id not a uuid', () => reseller.admin, 'GET', '/api/v1/customers/1%20OR%201=1', undefined, {}, 400, 'validation_failed', 'id'],
    ['limit=1e9', () => reseller.admin, 'GET', '/api/v1/customers?limit=1e9', undefined, {}, 400, 'validation_failed', 'limit'],
    ['limit=-1', () => reseller.admin, 'GET', '/api/v1/customers?limit=-1', undefined, {}, 400, 'validation_failed', 'limit'],
    ['limit=abc', () => reseller.admin, 'GET', '/api/v1/customers?limit=abc', undefined, {}, 400, 'validation_failed', 'limit'],
    ['forged cursor', () => reseller.admin, 'GET', '/api/v1/customers?cursor=bm90LWEtY3Vyc29y', undefined, {}, 400, 'validation_failed', 'cursor'],
    ['injected scope parameter', () => reseller.admin, 'GET', `/api/v1/customers?partnerId=${provider.id}`, undefined, {}, 400, 'validation_failed', 'partnerId'],
    ['SQL in the name filter is a literal', () => reseller.admin, 'GET', "/api/v1/customers?name=%27%20OR%201%3D1--", undefined, {}, 200, ''],
  ];

  it('answers every case of the table as expected', async () => {
    const before = await rowCounts(t);
    for (const [name, who, method, url, body, headers, status, code, field] of cases()) {
      const reply = await who().request<{ code?: string; field?: string; requestId?: string; items?: unknown[] }>(method, url, body, headers);
      expect(reply.status, `${name}: ${reply.raw.slice(0, 300)}`).toBe(status);
      if (status === 200) {
        expect(reply.body.items, name).toEqual([]);
        continue;
      }
      expect(String(reply.headers['content-type']), name).toContain('application/problem+json');
      expect(reply.body.code, name).toBe(code);
      expect(reply.body.requestId, name).toBe(reply.headers['request-id']);
      if (field !== undefined) expect(reply.body.field, name).toBe(field);
    }
    expect(await rowCounts(t)).toEqual(before);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });
});

describe('invitation tokens', () => {
  let t: TestContext;
  let provider: OrgHandle;
  let reseller: OrgHandle;
  const logged: string[] = [];

  beforeAll(async () => {
    t = await createTestContext({ logLevel: 'trace', logSink: (line) => logged.push(line) });
    const operator = await createOperator(t);
    provider = await createPartner(t, operator, 'Token Provider', 'indirect_provider');
    reseller = await createPartner(t, operator, 'Token Reseller', 'indirect_reseller');
  });
  afterAll(() => t.close());

  it('INV-01: tokens carry 256 random bits and do not repeat', async () => {
    const links = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const issued = issuedFrom(expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: `r${i}@tokens.test` }), 201) as never);
      expect(Buffer.from(issued.token, 'base64url')).toHaveLength(32);
      links.add(issued.token);
    }
    expect(links.size).toBe(20);
  });

  it('INV-08: GET and HEAD of the link, with or without a session, change nothing; then the real accept works', async () => {
    const issued = issuedFrom(expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: reseller.adminEmail }), 201) as never);
    const auditBefore = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from audit_events`);
    const url = `/api/v1/invitations/${issued.id}?token=${encodeURIComponent(issued.token)}`;
    for (let i = 0; i < 5; i += 1) {
      for (const client of [t.client(), reseller.admin]) {
        const got = await client.get<{ state: string; inviter: { name: string } }>(url);
        expect(got.status).toBe(200);
        expect(got.body.state).toBe('pending');
        expect(got.body.inviter.name).toBe('Token Provider');
        expect(got.headers['referrer-policy']).toBe('no-referrer');
        expect(got.headers['cache-control']).toBe('no-store');
        expect(got.headers['set-cookie']).toBeUndefined();
        const head = await client.request('HEAD', url);
        expect(head.status).toBe(200);
      }
    }
    const auditAfter = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from audit_events`);
    expect(auditAfter).toEqual(auditBefore);
    expect(logged.some((line) => line.includes(issued.id))).toBe(true);
    expect(logged.some((line) => line.includes(issued.token) || line.includes(encodeURIComponent(issued.token)))).toBe(false);
    const [state] = await queryRows<{ state: string }>(t, sql`select state from invitations where id = ${issued.id}`);
    expect(state?.state).toBe('pending');
    expectOk(await reseller.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
  });

  it('INV-02: no raw token in the database (delivered emails included) or in the logs', async () => {
    const tokens: string[] = [];
    for (const email of ['first@plain.test', 'second@plain.test']) {
      const created = expectOk(await reseller.admin.post('/api/v1/customer-invitations', { email, send: true }), 201);
      tokens.push(issuedFrom(created as never).token);
    }
    const pending = issuedFrom(expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: 'third@plain.test' }), 201) as never);
    tokens.push(pending.token);
    // One email delivered to the mailbox, one still queued: both forms must be sealed.
    await t.drainOutbox();
    expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: 'fourth@plain.test' }), 201);

    const dump = databaseText(t);
    const text = await dump;
    expect(text.length).toBeGreaterThan(1000);
    for (const token of tokens) {
      expect(text.includes(token)).toBe(false);
      expect(text.includes(encodeURIComponent(token))).toBe(false);
      expect(logged.join('\n').includes(token)).toBe(false);
    }
    expect(logged.length).toBeGreaterThan(0);
  });
});

/** Every value in the database as text: pg_dump on PostgreSQL, every column of every table on PGlite. */
async function databaseText(t: TestContext): Promise<string> {
  if (t.engine === 'postgres' && t.database.url !== null) {
    const dump = spawnSync('/usr/lib/postgresql/15/bin/pg_dump', ['--data-only', t.database.url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
    return dump.stdout;
  }
  const tables = await queryRows<{ table_name: string }>(
    t,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await queryRows<{ row: string }>(t, sql`select (t.*)::text as row from ${sql.identifier(table_name)} t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

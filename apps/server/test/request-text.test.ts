import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowCounts } from './fixture.ts';
import { createOperator, createPartner, createTestContext, password, type Client, type OrgHandle, type Reply, type TestContext } from './harness.ts';

/*
 * Text PostgreSQL cannot store, in any string of a body or query: lone UTF-16 surrogates (JSON
 * escapes), bytes that are not UTF-8, percent-escapes that are not UTF-8. Each is a 400
 * validation_failed naming the field, decided where requests are parsed, never a 5xx or a silently
 * altered value; an anonymous caller still gets 401 first. A body declared in another charset
 * than UTF-8 is refused with 415.
 */

interface Problem {
  code?: string;
  field?: string;
  requestId?: string;
}

describe('text that cannot be stored', () => {
  let t: TestContext;
  let operator: Client;
  let partner: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    partner = await createPartner(t, operator, 'Text Partner', 'indirect_reseller');
  });
  afterAll(() => t.close());

  const json = { 'content-type': 'application/json' };

  function expectRefused(reply: Reply<Problem>, field: string, status = 400, code = 'validation_failed'): void {
    expect([reply.status, reply.body.code, reply.body.field], reply.raw).toEqual([status, code, status === 400 ? field : undefined]);
    expect(String(reply.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(reply.body.requestId).toBe(reply.headers['request-id']);
  }

  it('lone surrogates in any body field answer 400 naming the field, nothing written', async () => {
    const before = await rowCounts(t);
    // Raw JSON text: the escapes reach the server as written.
    const cases: [Client, string, string, string][] = [
      [partner.admin, '/api/v1/api-keys', String.raw`{"name":"\ude42\ude42","roles":["sales_agent"]}`, 'name'],
      [partner.admin, '/api/v1/api-keys', String.raw`{"name":"key \ud83d","roles":["sales_agent"]}`, 'name'],
      [partner.admin, '/api/v1/users', String.raw`{"displayName":"\ude42\ude42","email":"new@text-partner.test","roles":[]}`, 'displayName'],
      [partner.admin, '/api/v1/users', String.raw`{"displayName":"New","email":"new\udc00@text-partner.test","roles":[]}`, 'email'],
      [
        operator,
        '/api/v1/operator/catalog/products',
        String.raw`{"name":"Product","description":"\ud800","skus":[{"name":"Sku \udfff"}]}`,
        'description',
      ],
      [operator, '/api/v1/operator/partners', String.raw`{"organization":{"name":"A\ud800","domain":"a.test","country":"US"}}`, 'organization.name'],
      [partner.admin, '/api/v1/api-keys', String.raw`{"name":"key","roles":["sales_agent"],"\ud800":1}`, '\ud800'],
    ];
    for (const [client, url, body, field] of cases) expectRefused(await client.post<Problem>(url, body, json), field);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('bytes that are not UTF-8 in a JSON or CSV body answer 400 naming the field, not stored as U+FFFD', async () => {
    const before = await rowCounts(t);
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    const request = (client: Client, url: string, body: Buffer, type: string) =>
      client.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': type, origin: 'http://tierlink.test', cookie: client.cookie ?? '' } });
    const asReply = (r: Awaited<ReturnType<typeof request>>): Reply<Problem> => ({ status: r.statusCode, body: JSON.parse(r.body) as Problem, headers: r.headers, raw: r.body });
    expectRefused(asReply(await request(partner.admin, '/api/v1/api-keys', bytes('{"name":"ab', [0xff, 0xfe], '","roles":["sales_agent"]}'), 'application/json')), 'name');
    // An encoded surrogate (CESU-8) is not UTF-8 either.
    expectRefused(asReply(await request(partner.admin, '/api/v1/api-keys', bytes('{"name":"', [0xed, 0xb9, 0x82], '","roles":["sales_agent"]}'), 'application/json')), 'name');
    const csv = bytes('partner_domain,customer_name,customer_domain,customer_country\ntext-partner.test,Caf', [0xe9], ',cafe.test,FR\n');
    expectRefused(asReply(await request(operator, '/api/v1/operator/reseller-relationships/import', csv, 'text/csv')), 'body');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('percent-escapes that are not UTF-8, and lone surrogates, in a query answer 400 naming the parameter', async () => {
    for (const query of ['name=%ff', 'name=%ED%A0%80', 'name=ok&name=%C3', 'limit=10&name=a%FFb']) {
      expectRefused(await partner.admin.get<Problem>(`/api/v1/customers?${query}`), 'name');
    }
    // A literal percent sign and valid escapes are text as usual.
    for (const query of ['name=100%', 'name=%25', 'name=caf%C3%A9', 'name=%F0%9F%98%80']) {
      expect((await partner.admin.get(`/api/v1/customers?${query}`)).status, query).toBe(200);
    }
  });

  it('the route guard answers first: an anonymous caller gets 401', async () => {
    const anonymous = t.client();
    const reply = await anonymous.post<Problem>('/api/v1/api-keys', String.raw`{"name":"\ude42","roles":["sales_agent"]}`, json);
    expect([reply.status, reply.body.code]).toEqual([401, 'unauthenticated']);
    expect((await anonymous.get<Problem>('/api/v1/customers?name=%ff')).status).toBe(401);
  });

  it('well-formed text outside the BMP, and U+FFFD sent as such, are stored', async () => {
    const reply = await partner.admin.post<{ apiKey: { name: string } }>('/api/v1/api-keys', { name: 'Key 😀 \uFFFD', roles: ['sales_agent'] });
    expect(reply.status, reply.raw).toBe(201);
    expect(reply.body.apiKey.name).toBe('Key 😀 \uFFFD');
  });

  it('a JSON body declared in another charset than UTF-8 answers 415; utf-8 in any spelling is read', async () => {
    const body = JSON.stringify({ email: partner.adminEmail, password });
    for (const charset of ['utf-16', 'latin1', 'iso-8859-1', 'UTF-16LE', '"us-ascii"']) {
      const reply = await t.client().post<Problem>('/api/v1/sessions', body, { 'content-type': `application/json; charset=${charset}` });
      expectRefused(reply, '', 415, 'unsupported_media_type');
    }
    const csv = await operator.post<Problem>('/api/v1/operator/reseller-relationships/import', 'a,b\n', { 'content-type': 'text/csv; charset=windows-1252' });
    expectRefused(csv, '', 415, 'unsupported_media_type');
    for (const charset of ['utf-8', 'UTF-8', 'utf8', '"utf-8"']) {
      const reply = await t.client().post<Problem>('/api/v1/sessions', body, { 'content-type': `application/json; charset=${charset}` });
      // Read as JSON: the partner must now give an MFA code.
      expect([reply.status, reply.body.code], `${charset}: ${reply.raw}`).toEqual([401, 'mfa_required']);
    }
  });
});
